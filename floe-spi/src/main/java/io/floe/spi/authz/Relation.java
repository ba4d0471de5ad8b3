package io.floe.spi.authz;

import io.floe.spi.error.BadRequestException;
import java.util.Locale;

/**
 * What a principal may do on an object. Stronger relations imply weaker ones of the same object
 * (ownership implies all; modify implies select; select, create, drop, manage_grants and
 * pass_grants imply describe), and each holds on every child of an object it is granted on.
 */
public enum Relation {
  /** Everything, including granting anything. The creator of an object owns it. */
  OWNERSHIP,
  /** Granting on to others the relations one holds oneself. */
  PASS_GRANTS,
  /** Granting and revoking any relation but ownership. */
  MANAGE_GRANTS,
  /** Seeing that the object exists and reading its metadata. */
  DESCRIBE,
  /** Reading data: read credentials and signed reads. */
  SELECT,
  /** Creating children. */
  CREATE,
  /** Committing, changing properties, writing data. */
  MODIFY,
  /** Dropping. */
  DROP,
  /** Membership of a role. */
  ASSIGNEE;

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Relation parse(String text) {
    for (Relation relation : values()) {
      if (relation.text().equals(text)) {
        return relation;
      }
    }
    throw new BadRequestException(
        "Unknown relation %s (expected ownership, pass_grants, manage_grants, describe, select, create, modify,"
            + " drop or assignee)", text);
  }
}
