package io.floe.spi.events;

import static java.util.Objects.requireNonNull;

import io.floe.spi.tenancy.WarehouseId;
import java.util.UUID;

/**
 * An event as the outbox keeps it.
 *
 * @param position its place in the outbox's one order: events are read and delivered by it, and
 *     changes to one object get increasing positions in the order they committed
 */
public record OutboxEvent(long position, UUID id, String type, WarehouseId warehouse, UUID object, String json) {
  public OutboxEvent {
    requireNonNull(id, "id is null");
    requireNonNull(type, "type is null");
    requireNonNull(object, "object is null");
    requireNonNull(json, "json is null");
  }
}
