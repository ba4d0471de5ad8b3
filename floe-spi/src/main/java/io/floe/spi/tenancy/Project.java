package io.floe.spi.tenancy;

import static java.util.Objects.requireNonNull;

/** A tenant: it owns warehouses. Names are unique in a deployment and may change. */
public record Project(ProjectId id, String name) {
  public Project {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
  }
}
