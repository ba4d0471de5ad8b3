package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;

/** A stored namespace. */
public record NamespaceEntry(UUID id, Namespace name, Map<String, String> properties) {
  public NamespaceEntry {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    properties = Map.copyOf(requireNonNull(properties, "properties is null"));
  }
}
