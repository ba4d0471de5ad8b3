package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import io.floe.spi.tenancy.WarehouseId;
import java.util.List;
import java.util.UUID;

/** Where a namespace sits: its warehouse and the ids of its ancestors and its own, top first. */
public record NamespacePath(WarehouseId warehouse, List<UUID> ids) {
  public NamespacePath {
    requireNonNull(warehouse, "warehouse is null");
    ids = List.copyOf(requireNonNull(ids, "ids is null"));
  }
}
