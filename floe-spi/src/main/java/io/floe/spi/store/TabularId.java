package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** The immutable identity of a table or view; it survives renames. */
public record TabularId(UUID value) {
  public TabularId {
    requireNonNull(value, "value is null");
  }

  public static TabularId random() {
    return new TabularId(UUID.randomUUID());
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
