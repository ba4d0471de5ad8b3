package io.floe.spi.authz;

import io.floe.spi.error.BadRequestException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The kinds of object grants are made on, as the management API and the model name them. */
public enum ObjectType {
  SERVER,
  PROJECT,
  WAREHOUSE,
  NAMESPACE,
  TABLE,
  VIEW,
  ROLE;

  /** The name in paths, bodies and the authorization model. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The relations a grant on this kind of object may name. */
  public Set<Relation> relations() {
    return switch (this) {
      case ROLE -> EnumSet.of(Relation.OWNERSHIP, Relation.MANAGE_GRANTS, Relation.DESCRIBE, Relation.ASSIGNEE);
      case TABLE, VIEW -> EnumSet.complementOf(EnumSet.of(Relation.CREATE, Relation.ASSIGNEE));
      default -> EnumSet.complementOf(EnumSet.of(Relation.ASSIGNEE));
    };
  }

  public static ObjectType parse(String text) {
    for (ObjectType type : values()) {
      if (type.text().equals(text)) {
        return type;
      }
    }
    throw new BadRequestException(
        "Unknown object type %s (expected server, project, warehouse, namespace, table, view or role)", text);
  }
}
