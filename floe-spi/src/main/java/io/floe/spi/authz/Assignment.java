package io.floe.spi.authz;

import static java.util.Objects.requireNonNull;

/**
 * A grant of a relation to a principal: a principal's id (as {@code whoami} gives it) or a role,
 * written {@code role:<id>} (then every assignee of the role holds the relation).
 */
public record Assignment(String principal, Relation relation) {
  public static final String ROLE_PREFIX = "role:";

  public Assignment {
    requireNonNull(principal, "principal is null");
    requireNonNull(relation, "relation is null");
  }

  public boolean toRole() {
    return principal.startsWith(ROLE_PREFIX);
  }
}
