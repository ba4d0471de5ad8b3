package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.view.ViewMetadata;

/** A stored view: its identity, name and current metadata. */
public record ViewEntry(TabularId id, TableIdentifier identifier, ViewMetadata metadata) {
  public ViewEntry {
    requireNonNull(id, "id is null");
    requireNonNull(identifier, "identifier is null");
    requireNonNull(metadata, "metadata is null");
  }

  public String metadataLocation() {
    return metadata.metadataFileLocation();
  }
}
