package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** Where a table or view sits: its id and its namespace's id, what authorization needs of it. */
public record TabularRef(TabularId id, UUID namespaceId) {
  public TabularRef {
    requireNonNull(id, "id is null");
    requireNonNull(namespaceId, "namespaceId is null");
  }
}
