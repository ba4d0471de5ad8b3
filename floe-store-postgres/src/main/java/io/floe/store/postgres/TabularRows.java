package io.floe.store.postgres;

import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/** What tables and views share: one name space per namespace, one row each. */
final class TabularRows {
  static final String TABLE = "table";
  static final String VIEW = "view";

  private final Transactions tx;

  TabularRows(Transactions tx) {
    this.tx = tx;
  }

  // ---------------------------------------------------------------- tabulars (shared)

  record TabularRow(TabularId id, String metadataLocation, String metadata) {}

  Optional<TabularRow> tabular(Connection c, WarehouseId warehouse, TableIdentifier identifier, String kind)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select t.id, t.metadata_location, t.metadata from tabular t"
                + " join namespace n on n.id = t.namespace_id"
                + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.kind = ? and t.deleted_at is null")) {
      Sql.bindName(c, s, warehouse, identifier);
      s.setString(4, kind);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new TabularRow(new TabularId(rs.getObject(1, UUID.class)), rs.getString(2), rs.getString(3)));
      }
    }
  }

  /** A view's (or, uncached, a table's) id and namespace. */
  Optional<io.floe.spi.store.TabularRef> ref(WarehouseId warehouse, TableIdentifier identifier, String kind) {
    return tx.read(
        ReadMode.REPLICA_OK,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select t.id, t.namespace_id from tabular t join namespace n on n.id = t.namespace_id"
                      + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.kind = ? and t.deleted_at is null")) {
            Sql.bindName(c, s, warehouse, identifier);
            s.setString(4, kind);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new io.floe.spi.store.TabularRef(
                          new TabularId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class)))
                  : Optional.empty();
            }
          }
        });
  }

  Set<UUID> namespacesOf(Set<UUID> tabularIds) {
    if (tabularIds.isEmpty()) {
      return Set.of();
    }
    return tx.read(
        ReadMode.REPLICA_OK,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select distinct namespace_id from tabular where id = any(?)")) {
            s.setArray(1, c.createArrayOf("uuid", tabularIds.toArray()));
            Set<UUID> ids = new java.util.HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
              }
            }
            return ids;
          }
        });
  }

  Page<TableIdentifier> listTabulars(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, String kind, Set<UUID> only) {
    return tx.read(
        mode,
        c -> {
          UUID namespaceId = NamespaceRows.requireNamespace(c, warehouse, namespace);
          String after = page.token() == null ? null : Pages.decode(page.token());
          List<TableIdentifier> names = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  Pages.sql(
                      "select name from tabular where namespace_id = ? and kind = ? and deleted_at is null"
                          + (only == null ? "" : " and id = any(?)"),
                      after, page))) {
            int i = 1;
            s.setObject(i++, namespaceId);
            s.setString(i++, kind);
            if (only != null) {
              s.setArray(i++, c.createArrayOf("uuid", only.toArray()));
            }
            if (after != null) {
              s.setString(i, after);
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                names.add(TableIdentifier.of(namespace, rs.getString(1)));
              }
            }
          }
          return Pages.of(names, page, TableIdentifier::name);
        });
  }

  void renameTabular(
      WarehouseId warehouse, TableIdentifier from, TableIdentifier to, String kind, TabularId expected) {
    tx.mutation(
        c -> {
          NotFoundException.Kind missing =
              kind.equals(TABLE) ? NotFoundException.Kind.TABLE : NotFoundException.Kind.VIEW;
          TabularRow row =
              tabular(c, warehouse, from, kind)
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              missing, "%s does not exist: %s", kind.equals(TABLE) ? "Table" : "View", from));
          expect(row.id(), expected, from);
          UUID target = NamespaceRows.requireNamespace(c, warehouse, to.namespace());
          try (PreparedStatement s =
              c.prepareStatement(
                  "update tabular set namespace_id = ?, name = ?, updated_at = now() where id = ?")) {
            s.setObject(1, target);
            s.setString(2, to.name());
            s.setObject(3, row.id().value());
            s.executeUpdate();
            TableRows.notifyChanged(c, List.of(TableRows.key(warehouse, from), TableRows.key(warehouse, to)));
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.UNIQUE_VIOLATION)) {
              throw new AlreadyExistsException(
                  "Cannot rename %s to %s. %s already exists", from, to, kindName(existingKind(warehouse, to)));
            }
            if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
              // the target namespace was dropped between the lookup and the update
              throw new NotFoundException(
                  NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", to.namespace());
            }
            throw e;
          }
          return null;
        });
  }

  /** The kind of the tabular that holds a name, read outside the failed transaction. */
  String existingKind(WarehouseId warehouse, TableIdentifier identifier) {
    return tx.readPrimary(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select t.kind from tabular t join namespace n on n.id = t.namespace_id"
                      + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.deleted_at is null")) {
            Sql.bindName(c, s, warehouse, identifier);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? rs.getString(1) : TABLE;
            }
          }
        });
  }

  static String kindName(String kind) {
    return kind.equals(VIEW) ? "View" : "Table";
  }

  void insertTabular(
      Connection c,
      WarehouseId warehouse,
      TabularId id,
      TableIdentifier identifier,
      String kind,
      String metadataLocation,
      String location,
      String metadata)
      throws SQLException {
    UUID namespaceId = NamespaceRows.requireNamespace(c, warehouse, identifier.namespace());
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into tabular (id, warehouse_id, namespace_id, name, kind, metadata_location,"
                + " location, location_key, metadata) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, id.value());
      s.setObject(2, warehouse.value());
      s.setObject(3, namespaceId);
      s.setString(4, identifier.name());
      s.setString(5, kind);
      s.setString(6, metadataLocation);
      s.setString(7, location);
      s.setString(8, kind.equals(TABLE) ? TableLocations.key(location) : null);
      s.setString(9, metadata);
      s.executeUpdate();
    } catch (SQLException e) {
      if (Jdbc.is(e, Jdbc.UNIQUE_VIOLATION)) {
        String existing = existingKind(warehouse, identifier);
        if (kind.equals(existing)) {
          throw new AlreadyExistsException("%s already exists: %s", kindName(kind), identifier);
        }
        throw new AlreadyExistsException("%s with same name already exists: %s", kindName(existing), identifier);
      }
      if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
        // the namespace was dropped between the lookup and the insert
        throw new NotFoundException(
            NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", identifier.namespace());
      }
      throw e;
    }
  }

  /** Drops a live tabular row after reading it, as {@code drop} says (see {@link Deletions}). */
  TabularRow dropTabular(
      Connection c, WarehouseId warehouse, TableIdentifier identifier, String kind, io.floe.spi.store.TabularDrop drop)
      throws SQLException {
    TabularRow row =
        tabular(c, warehouse, identifier, kind)
            .orElseThrow(
                () ->
                    kind.equals(TABLE)
                        ? new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier)
                        : new NotFoundException(NotFoundException.Kind.VIEW, "View does not exist: %s", identifier));
    Deletions.drop(c, warehouse, identifier, kind, row, drop);
    return row;
  }

  /** Refuses to act on a name that another object took since the caller looked it up. */
  static void expect(TabularId actual, TabularId expected, TableIdentifier identifier) {
    if (expected != null && !expected.equals(actual)) {
      throw new io.floe.spi.error.CommitConflictException(
          "%s was dropped and created again meanwhile; retry", identifier);
    }
  }
}
