package io.floe.spi.storage;

import static java.util.Objects.requireNonNull;

import io.floe.spi.error.BadRequestException;
import java.util.Set;

/**
 * A location in an object store, {@code scheme://authority/path}: the shape that S3
 * ({@code s3://bucket/key}), GCS ({@code gs://bucket/prefix}) and ADLS
 * ({@code abfss://filesystem@account/path}) locations share.
 *
 * @param path the path without leading or trailing slashes; empty for the authority's root
 */
public record ObjectLocation(String scheme, String authority, String path) {
  public ObjectLocation {
    requireNonNull(scheme, "scheme is null");
    requireNonNull(authority, "authority is null");
    requireNonNull(path, "path is null");
  }

  /**
   * Parses a location whose scheme is one of {@code schemes}.
   *
   * @param form the expected form, for the error message, e.g. {@code s3://bucket/key}
   * @throws BadRequestException if the scheme is another or the authority is empty
   */
  public static ObjectLocation parse(String location, Set<String> schemes, String form) {
    int schemeEnd = location.indexOf("://");
    String scheme = schemeEnd > 0 ? location.substring(0, schemeEnd) : "";
    if (!schemes.contains(scheme)) {
      throw new BadRequestException("Invalid location, expected %s: %s", form, location);
    }
    String rest = location.substring(schemeEnd + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (authority.isEmpty()) {
      throw new BadRequestException("Invalid location, expected %s: %s", form, location);
    }
    return new ObjectLocation(scheme, authority, path);
  }

  /**
   * Whether an object key, or a listing prefix, lies under this location's path (an empty path
   * holds every key). The path itself does not: listing "wh/t" would also name the files of
   * "wh/t-other".
   */
  public boolean contains(String keyOrPrefix) {
    return path.isEmpty() || keyOrPrefix.startsWith(path + "/");
  }
}
