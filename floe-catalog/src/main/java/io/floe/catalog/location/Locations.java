package io.floe.catalog.location;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.tenancy.Warehouse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides where tables and views may live. A location is allowed when it lies under one of the
 * warehouse's allowed roots; the default location of a tabular is built from ids, so a rename
 * followed by a re-create never shares files.
 */
public final class Locations {
  /** Table properties that point at storage and so are held to the same rule as the location. */
  public static final Set<String> PATH_PROPERTIES =
      Set.of(
          "write.data.path",
          "write.metadata.path",
          "write.object-storage.path",
          "write.folder-storage.path");

  private Locations() {}

  /** The default location of a new table or view. */
  public static String defaultLocation(Warehouse warehouse, String namespaceId, String tabularId) {
    return namespaceLocation(warehouse, namespaceId) + "/" + tabularId;
  }

  /** Where a namespace's tables go by default: every default table location lies under it. */
  public static String namespaceLocation(Warehouse warehouse, String namespaceId) {
    return warehouse.storage().root() + "/" + namespaceId;
  }

  /** Checks that {@code location} is under an allowed root of the warehouse. */
  public static String checkAllowed(Warehouse warehouse, String what, String location) {
    String normalized = normalize(what, location);
    for (String root : warehouse.allowedLocations()) {
      String rootPath = normalize("root", root);
      if (normalized.startsWith(rootPath + "/")) {
        return location;
      }
    }
    throw new BadRequestException(
        "Invalid %s: %s is outside the warehouse's allowed locations %s",
        what, location, warehouse.allowedLocations());
  }

  /** Checks the location and every storage path property of a table. */
  public static void checkTable(
      Warehouse warehouse, String location, Map<String, String> properties) {
    checkAllowed(warehouse, "location", location);
    checkProperties(warehouse, properties);
  }

  /** Checks every storage path property of a table or view. */
  public static void checkProperties(Warehouse warehouse, Map<String, String> properties) {
    for (String key : PATH_PROPERTIES) {
      String value = properties.get(key);
      if (value != null) {
        checkAllowed(warehouse, key, value);
      }
    }
  }

  /**
   * Whether {@code path} lies strictly under {@code root}, comparing normalised forms (the
   * S3 schemes s3, s3a and s3n name the same objects). A path that cannot be normalised, one
   * with {@code ..} segments say, is never under anything.
   */
  public static boolean isUnder(String root, String path) {
    try {
      String rootPath = sameObjects(normalize("root", root));
      String normalized = sameObjects(normalize("path", path));
      return normalized.startsWith(rootPath + "/");
    } catch (BadRequestException e) {
      return false;
    }
  }

  private static String sameObjects(String normalized) {
    return normalized.startsWith("s3a://") || normalized.startsWith("s3n://")
        ? "s3://" + normalized.substring(6)
        : normalized;
  }

  /**
   * Reduces a location to a comparable form: no trailing slash; a scheme in upper case, empty
   * segments and {@code .} or {@code ..} segments are refused rather than resolved.
   */
  static String normalize(String what, String location) {
    if (location == null || location.isBlank()) {
      throw new BadRequestException("Invalid %s: must not be empty", what);
    }
    for (int i = 0; i < location.length(); i++) {
      char c = location.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new BadRequestException("Invalid %s: contains a control character", what);
      }
    }
    String path = location;
    String scheme = "file";
    int colon = path.indexOf(':');
    if (colon > 0 && path.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      scheme = path.substring(0, colon);
      if (!scheme.equals(scheme.toLowerCase(java.util.Locale.ROOT))) {
        throw new BadRequestException("Invalid %s: the scheme must be lower case: %s", what, location);
      }
      path = path.substring(colon + 1);
      if (scheme.equals("file")) {
        if (path.startsWith("//")) {
          path = path.substring(2);
        }
      } else if (path.startsWith("//")) {
        path = path.substring(2);
      }
    }
    if (scheme.equals("file") && !path.startsWith("/")) {
      throw new BadRequestException("Invalid %s: not an absolute location: %s", what, location);
    }
    // in a storage policy (an IAM resource, a condition) these would be wildcards or variables
    if (!scheme.equals("file") && (path.contains("*") || path.contains("?") || path.contains("$"))) {
      throw new BadRequestException("Invalid %s: must not contain *, ? or $: %s", what, location);
    }
    // one spelling per location, so that comparing locations as text is comparing places
    if (path.contains("//")) {
      throw new BadRequestException("Invalid %s: must not contain empty path segments: %s", what, location);
    }
    List<String> segments = List.of(path.split("/", -1));
    for (String segment : segments) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new BadRequestException(
            "Invalid %s: must not contain '.' or '..' segments: %s", what, location);
      }
    }
    while (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    return scheme + "://" + path;
  }
}
