package io.floe.spi.authz;

import static java.util.Objects.requireNonNull;

/** One question to an authorizer: does the caller hold {@code relation} on {@code resource}? */
public record Check(Resource resource, Relation relation) {
  public Check {
    requireNonNull(resource, "resource is null");
    requireNonNull(relation, "relation is null");
  }
}
