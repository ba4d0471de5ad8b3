package io.floe.spi.events;

import static java.util.Objects.requireNonNull;

import io.floe.spi.tenancy.WarehouseId;
import java.util.UUID;

/**
 * One change the catalog accepted, as the CloudEvent that tells others about it.
 *
 * @param id the CloudEvent's id: consumers de-duplicate by it
 * @param type the CloudEvent's type, such as {@code io.floe.table.committed}
 * @param warehouse the warehouse it happened in, or null for a change above warehouses
 * @param object the id of the changed object (a table, view, namespace, warehouse or project):
 *     brokers keep one object's events in order by it
 * @param json the CloudEvent, in its structured JSON form
 */
public record ChangeEvent(UUID id, String type, WarehouseId warehouse, UUID object, String json) {
  public ChangeEvent {
    requireNonNull(id, "id is null");
    requireNonNull(type, "type is null");
    requireNonNull(object, "object is null");
    requireNonNull(json, "json is null");
  }
}
