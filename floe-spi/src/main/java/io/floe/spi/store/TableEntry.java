package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A stored table: its identity, name and current metadata. {@code metadata.metadataFileLocation()}
 * is the current metadata pointer.
 */
public record TableEntry(TabularId id, TableIdentifier identifier, TableMetadata metadata) {
  public TableEntry {
    requireNonNull(id, "id is null");
    requireNonNull(identifier, "identifier is null");
    requireNonNull(metadata, "metadata is null");
  }

  public String metadataLocation() {
    return metadata.metadataFileLocation();
  }
}
