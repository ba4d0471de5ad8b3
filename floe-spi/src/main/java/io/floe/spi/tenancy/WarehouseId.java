package io.floe.spi.tenancy;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * The immutable identity of a warehouse. Its text form is the REST {@code prefix}, so renaming a
 * warehouse never breaks a client that holds the prefix.
 */
public record WarehouseId(UUID value) {
  public WarehouseId {
    requireNonNull(value, "value is null");
  }

  public static WarehouseId random() {
    return new WarehouseId(UUID.randomUUID());
  }

  /** Parses a warehouse id from its text form, rejecting anything that is not a UUID. */
  public static WarehouseId parse(String text) {
    return new WarehouseId(Ids.parseUuid(text, "warehouse id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
