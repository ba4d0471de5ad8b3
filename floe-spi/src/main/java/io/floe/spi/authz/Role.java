package io.floe.spi.authz;

import static java.util.Objects.requireNonNull;

import io.floe.spi.tenancy.ProjectId;
import java.util.UUID;

/** A named group of principals in a project; grants to it hold for each of its assignees. */
public record Role(UUID id, ProjectId project, String name) {
  public Role {
    requireNonNull(id, "id is null");
    requireNonNull(project, "project is null");
    requireNonNull(name, "name is null");
  }
}
