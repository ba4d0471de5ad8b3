package io.floe.store.postgres;

import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.NotEmptyException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.NameCheck;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;

/** Namespaces: nested by name, with their properties as JSON. */
final class NamespaceRows {
  /** Joins namespace levels in page tokens; names never hold control characters. */
  private static final String NAMESPACE_SEPARATOR = "\u001f";

  private final Transactions tx;

  NamespaceRows(Transactions tx) {
    this.tx = tx;
  }

  // ---------------------------------------------------------------- namespaces

  void createNamespace(WarehouseId warehouse, NamespaceEntry namespace) {
    tx.mutation(
        c -> {
          Namespace parent = parent(namespace.name());
          // a share lock on the parent: a concurrent drop of it waits, then sees this child
          if (!parent.isEmpty() && namespaceId(c, warehouse, parent, " for share").isEmpty()) {
            throw new NotFoundException(
                NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", parent);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into namespace (id, warehouse_id, name, parent_name, properties)"
                      + " values (?, ?, ?, ?, ?::jsonb)")) {
            s.setObject(1, namespace.id());
            s.setObject(2, warehouse.value());
            s.setArray(3, Sql.levels(c, namespace.name()));
            s.setArray(4, Sql.levels(c, parent));
            s.setString(5, Sql.json(namespace.properties()));
            s.executeUpdate();
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.UNIQUE_VIOLATION)) {
              throw new AlreadyExistsException("Namespace already exists: %s", namespace.name());
            }
            if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
              throw new NotFoundException(
                  NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", warehouse);
            }
            throw e;
          }
          return null;
        });
  }

  Optional<NamespaceEntry> namespace(WarehouseId warehouse, Namespace name, ReadMode mode) {
    return tx.read(
        mode,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, properties::text from namespace where warehouse_id = ? and name = ?")) {
            s.setObject(1, warehouse.value());
            s.setArray(2, Sql.levels(c, name));
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new NamespaceEntry(rs.getObject(1, UUID.class), name, Sql.stringMap(rs.getString(2))));
            }
          }
        });
  }

  /** A namespace and whether a live table or view holds a name in it, in one round trip. */
  Optional<NameCheck> nameCheck(WarehouseId warehouse, org.apache.iceberg.catalog.TableIdentifier identifier) {
    return tx.readPrimary(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select n.id, n.properties::text,"
                      + " exists(select 1 from tabular t where t.namespace_id = n.id and t.name = ? and t.kind = '"
                      + TabularRows.TABLE + "' and t.deleted_at is null),"
                      + " exists(select 1 from tabular t where t.namespace_id = n.id and t.name = ? and t.kind = '"
                      + TabularRows.VIEW + "' and t.deleted_at is null)"
                      + " from namespace n where n.warehouse_id = ? and n.name = ?")) {
            s.setString(1, identifier.name());
            s.setString(2, identifier.name());
            s.setObject(3, warehouse.value());
            s.setArray(4, Sql.levels(c, identifier.namespace()));
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              NamespaceEntry namespace =
                  new NamespaceEntry(rs.getObject(1, UUID.class), identifier.namespace(), Sql.stringMap(rs.getString(2)));
              return Optional.of(new NameCheck(namespace, rs.getBoolean(3), rs.getBoolean(4)));
            }
          }
        });
  }

  Page<Namespace> listNamespaces(
      WarehouseId warehouse, Namespace parent, PageRequest page, ReadMode mode, Set<UUID> only) {
    return tx.read(
        mode,
        c -> {
          if (!parent.isEmpty() && namespaceId(c, warehouse, parent, "").isEmpty()) {
            throw new NotFoundException(
                NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", parent);
          }
          String after = page.token() == null ? null : Pages.decode(page.token());
          List<Namespace> names = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  Pages.sql(
                      "select name from namespace where warehouse_id = ? and parent_name = ?"
                          + (only == null ? "" : " and id = any(?)"),
                      after, page))) {
            int i = 1;
            s.setObject(i++, warehouse.value());
            s.setArray(i++, Sql.levels(c, parent));
            if (only != null) {
              s.setArray(i++, c.createArrayOf("uuid", only.toArray()));
            }
            if (after != null) {
              s.setArray(i, c.createArrayOf("text", after.split(NAMESPACE_SEPARATOR, -1)));
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                names.add(Namespace.of((String[]) rs.getArray(1).getArray()));
              }
            }
          }
          return Pages.of(names, page, name -> String.join(NAMESPACE_SEPARATOR, name.levels()));
        });
  }

  NamespaceEntry updateNamespaceProperties(
      WarehouseId warehouse, Namespace name, Map<String, String> updates, Set<String> removals) {
    return tx.mutation(
        c -> {
          UUID id;
          Map<String, String> before;
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, properties::text from namespace where warehouse_id = ? and name = ?"
                      + " for update")) {
            s.setObject(1, warehouse.value());
            s.setArray(2, Sql.levels(c, name));
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                throw new NotFoundException(
                    NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", name);
              }
              id = rs.getObject(1, UUID.class);
              before = Sql.stringMap(rs.getString(2));
            }
          }
          Map<String, String> after = new TreeMap<>(before);
          removals.forEach(after::remove);
          after.putAll(updates);
          try (PreparedStatement s =
              c.prepareStatement(
                  "update namespace set properties = ?::jsonb, updated_at = now() where id = ?")) {
            s.setString(1, Sql.json(after));
            s.setObject(2, id);
            s.executeUpdate();
          }
          return new NamespaceEntry(id, name, before);
        });
  }

  Deletions.NamespaceDropped dropNamespace(WarehouseId warehouse, Namespace name, io.floe.spi.store.NamespaceDrop drop) {
    return tx.mutation(
        c -> {
          if (drop.recursive()) {
            return Deletions.dropRecursively(c, warehouse, name, drop);
          }
          UUID id =
              namespaceId(c, warehouse, name, " for update")
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", name));
          if (!drop.force() && Sql.queryOne(c, "select protected from namespace where id = ?", rs -> rs.getBoolean(1), id).orElse(false)) {
            throw Deletions.protectedObject("Namespace", name);
          }
          if (Sql.exists(c, "select 1 from tabular where namespace_id = ? and deleted_at is null limit 1", id)) {
            throw new NotEmptyException("Namespace is not empty: %s contains tables or views", name);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "select 1 from namespace where warehouse_id = ? and parent_name = ? limit 1")) {
            s.setObject(1, warehouse.value());
            s.setArray(2, Sql.levels(c, name));
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                throw new NotEmptyException("Namespace is not empty: %s contains namespaces", name);
              }
            }
          }
          try (PreparedStatement s = c.prepareStatement("delete from namespace where id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
              throw new NotEmptyException("Namespace is not empty: %s", name);
            }
            throw e;
          }
          return new Deletions.NamespaceDropped(
              new io.floe.spi.store.CatalogStore.Dropped(List.of(id), List.of(), List.of()), List.of());
        });
  }

  /** A namespace's id; {@code lock} is empty or a row-locking clause. */
  /** The ids of a namespace's ancestors and its own, top first; fewer than its depth if missing. */
  List<UUID> namespacePath(WarehouseId warehouse, Namespace name, ReadMode mode) {
    return tx.read(
        mode,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select n.id from generate_series(1, cardinality(?::text[])) k"
                      + " join namespace n on n.warehouse_id = ? and n.name = (?::text[])[1:k] order by k")) {
            s.setArray(1, Sql.levels(c, name));
            s.setObject(2, warehouse.value());
            s.setArray(3, Sql.levels(c, name));
            List<UUID> path = ids(s);
            return path.size() == name.length() ? path : List.of();
          }
        });
  }

  Optional<io.floe.spi.store.NamespacePath> namespacePath(UUID namespaceId) {
    return tx.read(
        ReadMode.REPLICA_OK,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select n.id, n.warehouse_id from namespace leaf"
                      + " cross join generate_series(1, cardinality(leaf.name)) k"
                      + " join namespace n on n.warehouse_id = leaf.warehouse_id and n.name = leaf.name[1:k]"
                      + " where leaf.id = ? order by k")) {
            s.setObject(1, namespaceId);
            List<UUID> ids = new ArrayList<>();
            UUID warehouse = null;
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
                warehouse = rs.getObject(2, UUID.class);
              }
            }
            return warehouse == null || !ids.get(ids.size() - 1).equals(namespaceId)
                ? Optional.<io.floe.spi.store.NamespacePath>empty()
                : Optional.of(new io.floe.spi.store.NamespacePath(new WarehouseId(warehouse), ids));
          }
        });
  }

  private static List<UUID> ids(PreparedStatement s) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getObject(1, UUID.class));
      }
    }
    return ids;
  }

  static Optional<UUID> namespaceId(Connection c, WarehouseId warehouse, Namespace name, String lock)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select id from namespace where warehouse_id = ? and name = ?" + lock)) {
      s.setObject(1, warehouse.value());
      s.setArray(2, Sql.levels(c, name));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }

  static UUID requireNamespace(Connection c, WarehouseId warehouse, Namespace name) throws SQLException {
    return namespaceId(c, warehouse, name, "")
        .orElseThrow(
            () -> new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", name));
  }

  static Namespace parent(Namespace namespace) {
    String[] levels = namespace.levels();
    return Namespace.of(Arrays.copyOf(levels, levels.length - 1));
  }

}
