package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One table's part of an atomic commit: a new table, a swap of its metadata, or a check that it
 * is still at the version the other parts were decided on.
 */
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

  /**
   * Changes nothing, but fails the whole commit unless the table's pointer still equals {@code
   * metadata.metadataFileLocation()}: a table whose requirements a multi-table commit depends on
   * is held at that version until the commit is durable.
   */
  record Unchanged(TabularId id, TableIdentifier identifier, TableMetadata metadata) implements TableWrite {
    public Unchanged {
      requireNonNull(id, "id is null");
      requireNonNull(identifier, "identifier is null");
      requireNonNull(metadata, "metadata is null");
    }
  }
}
