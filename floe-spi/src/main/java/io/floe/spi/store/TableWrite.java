package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;

/** One table's part of an atomic commit: either a new table or a swap of its metadata. */
public sealed interface TableWrite {
  TableMetadata metadata();

  /** Creates a table; fails if the name is taken by a table or a view. */
  record Create(TabularId id, TableIdentifier identifier, TableMetadata metadata)
      implements TableWrite {
    public Create {
      requireNonNull(id, "id is null");
      requireNonNull(identifier, "identifier is null");
      requireNonNull(metadata, "metadata is null");
    }
  }

  /**
   * Swaps the table's metadata from {@code base} to {@code metadata}, provided the stored
   * pointer still equals {@code base.metadataFileLocation()} (compare-and-swap).
   */
  record Update(TabularId id, TableIdentifier identifier, TableMetadata base, TableMetadata metadata)
      implements TableWrite {
    public Update {
      requireNonNull(id, "id is null");
      requireNonNull(identifier, "identifier is null");
      requireNonNull(base, "base is null");
      requireNonNull(metadata, "metadata is null");
    }
  }
}
