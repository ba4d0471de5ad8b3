package io.floe.store.postgres;

import io.floe.spi.error.CommitConflictException;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TabularId;
import io.floe.spi.store.ViewEntry;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.PreparedStatement;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/** Views: a row each, with the whole view metadata as JSON. */
final class ViewRows {
  private final Transactions tx;
  private final TabularRows tabulars;

  ViewRows(Transactions tx, TabularRows tabulars) {
    this.tx = tx;
    this.tabulars = tabulars;
  }

  // ---------------------------------------------------------------- views

  Optional<ViewEntry> view(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return tx.read(mode, c ->
            tabulars.tabular(c, warehouse, identifier, TabularRows.VIEW)
                .map(
                    row ->
                        new ViewEntry(
                            row.id(),
                            identifier,
                            ViewMetadataParser.fromJson(row.metadataLocation(), row.metadata()))));
  }

  Page<TableIdentifier> listViews(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, java.util.Set<java.util.UUID> only) {
    return tabulars.listTabulars(warehouse, namespace, page, mode, TabularRows.VIEW, only);
  }

  void createView(WarehouseId warehouse, ViewEntry view) {
    tx.mutation(
        c -> {
          tabulars.insertTabular(
              c,
              warehouse,
              view.id(),
              view.identifier(),
              TabularRows.VIEW,
              view.metadataLocation(),
              view.metadata().location(),
              ViewMetadataParser.toJson(view.metadata()));
          return null;
        });
  }

  void replaceView(WarehouseId warehouse, TabularId id, ViewMetadata base, ViewMetadata metadata) {
    tx.mutation(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update tabular set metadata_location = ?, location = ?, metadata = ?, updated_at = now()"
                      + " where id = ? and kind = 'view' and metadata_location = ? and deleted_at is null")) {
            s.setString(1, metadata.metadataFileLocation());
            s.setString(2, metadata.location());
            s.setString(3, ViewMetadataParser.toJson(metadata));
            s.setObject(4, id.value());
            s.setString(5, base.metadataFileLocation());
            if (s.executeUpdate() == 0) {
              throw new CommitConflictException("Cannot commit to view %s: it changed concurrently", id);
            }
          }
          return null;
        });
  }

  ViewEntry dropView(WarehouseId warehouse, TableIdentifier identifier, io.floe.spi.store.TabularDrop drop) {
    return tx.mutation(
        c -> {
          TabularRows.TabularRow row = tabulars.dropTabular(c, warehouse, identifier, TabularRows.VIEW, drop);
          return new ViewEntry(
              row.id(), identifier, ViewMetadataParser.fromJson(row.metadataLocation(), row.metadata()));
        });
  }

  void renameView(WarehouseId warehouse, TableIdentifier from, TableIdentifier to, TabularId expected) {
    tabulars.renameTabular(warehouse, from, to, TabularRows.VIEW, expected);
  }

}
