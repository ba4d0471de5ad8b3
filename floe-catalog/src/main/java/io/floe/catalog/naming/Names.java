package io.floe.catalog.naming;

import io.floe.spi.error.BadRequestException;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The rules every name in the catalog follows. Locations are built from ids, never from names,
 * so names may hold slashes and dots; what they may not hold is what breaks tools or logs.
 */
public final class Names {
  public static final int MAX_LENGTH = 255;

  private Names() {}

  /** Checks one name: a project, warehouse, namespace level, table or view name. */
  public static String check(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new BadRequestException("Invalid %s name: must not be empty", what);
    }
    if (name.length() > MAX_LENGTH) {
      throw new BadRequestException(
          "Invalid %s name: longer than %d characters", what, MAX_LENGTH);
    }
    if (name.equals(".") || name.equals("..")) {
      throw new BadRequestException("Invalid %s name: %s", what, name);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new BadRequestException(
            "Invalid %s name: contains control character 0x%02x", what, (int) c);
      }
    }
    if (!name.equals(name.strip())) {
      throw new BadRequestException(
          "Invalid %s name: must not start or end with white space: '%s'", what, name);
    }
    return name;
  }

  public static Namespace check(Namespace namespace) {
    if (namespace == null || namespace.isEmpty()) {
      throw new BadRequestException("Invalid namespace: must not be empty");
    }
    for (String level : namespace.levels()) {
      check("namespace", level);
    }
    return namespace;
  }

  public static TableIdentifier checkTable(TableIdentifier identifier) {
    check(identifier.namespace());
    check("table", identifier.name());
    return identifier;
  }

  public static TableIdentifier checkView(TableIdentifier identifier) {
    check(identifier.namespace());
    check("view", identifier.name());
    return identifier;
  }
}
