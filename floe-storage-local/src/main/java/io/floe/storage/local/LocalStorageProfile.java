package io.floe.storage.local;

import io.floe.spi.tenancy.StorageProfile;
import static java.util.Objects.requireNonNull;

import io.floe.spi.error.BadRequestException;

/**
 * Files on the server's local file system, for laptops and tests.
 *
 * @param root a {@code file:/} location; absolute path without a trailing slash
 */
public record LocalStorageProfile(String root) implements StorageProfile {
  public static final String TYPE = "local";

  public LocalStorageProfile {
    requireNonNull(root, "root is null");
    root = normalize(root);
  }

  @Override
  public String type() {
    return TYPE;
  }

  private static String normalize(String root) {
    String path = root;
    if (path.startsWith("file://")) {
      path = path.substring("file://".length());
    } else if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    if (!path.startsWith("/")) {
      throw new BadRequestException("Invalid local storage root, not an absolute path: %s", root);
    }
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return "file:" + path;
  }
}
