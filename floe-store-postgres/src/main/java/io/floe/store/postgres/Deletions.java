package io.floe.store.postgres;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.spi.error.ConflictException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.DeletedTabular;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.TabularDrop;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.JsonUtil;

/**
 * How tables and views leave: a hard drop deletes the row (its history goes by cascade); a soft
 * drop hides it (every read of live objects asks for {@code deleted_at is null}) until its
 * expiration task deletes it, unless it is undropped first. Protection is checked under the row's
 * lock, in the drop's own transaction.
 */
final class Deletions {
  private static final String DELETED_COLUMNS =
      "id, deleted_from, name, kind, deleted_at, expires_at, purge_on_expiry";

  private final Transactions tx;

  Deletions(Transactions tx) {
    this.tx = tx;
  }

  /**
   * Drops the live row {@code row} named {@code identifier}, as {@code drop} says: the caller has
   * read it in this transaction.
   */
  static void drop(
      Connection c, WarehouseId warehouse, TableIdentifier identifier, String kind, TabularRows.TabularRow row,
      TabularDrop drop) throws SQLException {
    TabularRows.expect(row.id(), drop.expected(), identifier);
    boolean isProtected;
    try (PreparedStatement s = c.prepareStatement("select protected from tabular where id = ? for update")) {
      s.setObject(1, row.id().value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        isProtected = rs.getBoolean(1);
      }
    }
    if (isProtected && !drop.force()) {
      throw protectedObject(kind, identifier);
    }
    if (drop.keepFor() == null) {
      try (PreparedStatement s = c.prepareStatement("delete from tabular where id = ?")) {
        s.setObject(1, row.id().value());
        s.executeUpdate();
      }
      if (drop.purge() && kind.equals(TabularRows.TABLE)) {
        schedulePurge(c, warehouse, row.id(), identifier, row.metadataLocation());
      }
      return;
    }
    Instant expires;
    try (PreparedStatement s =
        c.prepareStatement(
            "update tabular set deleted_at = now(), expires_at = now() + ? * interval '1 second', deleted_from = ?,"
                + " purge_on_expiry = ?, updated_at = now() where id = ? returning expires_at")) {
      s.setLong(1, drop.keepFor().toSeconds());
      s.setArray(2, Sql.levels(c, identifier.namespace()));
      s.setBoolean(3, drop.purge());
      s.setObject(4, row.id().value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        expires = rs.getTimestamp(1).toInstant();
      }
    }
    ObjectNode payload = payload(row.id(), identifier, kind);
    UUID task = PostgresTaskQueue.insert(c, TabularDrop.EXPIRE_TASK, warehouse, payload.toString(), expires, 10).id();
    try (PreparedStatement s = c.prepareStatement("update tabular set expire_task = ? where id = ?")) {
      s.setObject(1, task);
      s.setObject(2, row.id().value());
      s.executeUpdate();
    }
  }

  /** What a namespace drop removed for good, and the table pointers it moved. */
  record NamespaceDropped(io.floe.spi.store.CatalogStore.Dropped dropped, List<String> keys) {}

  /**
   * Drops a namespace with everything under it, in one transaction: its descendants' rows are
   * locked first, so nothing can be created in them meanwhile.
   */
  static NamespaceDropped dropRecursively(
      Connection c, WarehouseId warehouse, Namespace name, io.floe.spi.store.NamespaceDrop drop) throws SQLException {
    List<UUID> namespaces = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select id, name, protected from namespace where warehouse_id = ? and cardinality(name) >= ?"
                + " and name[1:?] = ? order by cardinality(name) for update")) {
      s.setObject(1, warehouse.value());
      s.setInt(2, name.length());
      s.setInt(3, name.length());
      s.setArray(4, Sql.levels(c, name));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean(3) && !drop.force()) {
            throw protectedObject("Namespace", Namespace.of((String[]) rs.getArray(2).getArray()));
          }
          namespaces.add(rs.getObject(1, UUID.class));
        }
      }
    }
    if (namespaces.isEmpty()) {
      throw new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", name);
    }
    List<TabularId> tables = new ArrayList<>();
    List<TabularId> views = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    record Held(TabularRows.TabularRow row, TableIdentifier identifier, String kind) {}
    List<Held> held = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select t.id, t.metadata_location, t.kind, n.name, t.name from tabular t join namespace n on n.id = t.namespace_id"
                + " where t.namespace_id = any(?) and t.deleted_at is null")) {
      s.setArray(1, c.createArrayOf("uuid", namespaces.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          TableIdentifier identifier =
              TableIdentifier.of(Namespace.of((String[]) rs.getArray(4).getArray()), rs.getString(5));
          held.add(
              new Held(
                  new TabularRows.TabularRow(new TabularId(rs.getObject(1, UUID.class)), rs.getString(2), null),
                  identifier, rs.getString(3)));
        }
      }
    }
    TabularDrop each = new TabularDrop(null, drop.purge(), drop.force(), drop.keepFor());
    for (Held tabular : held) {
      drop(c, warehouse, tabular.identifier(), tabular.kind(), tabular.row(), each);
      boolean table = tabular.kind().equals(TabularRows.TABLE);
      if (drop.keepFor() == null) {
        (table ? tables : views).add(tabular.row().id());
      }
      if (table) {
        keys.add(TableRows.key(warehouse, tabular.identifier()));
      }
    }
    try (PreparedStatement s = c.prepareStatement("delete from namespace where id = any(?)")) {
      s.setArray(1, c.createArrayOf("uuid", namespaces.toArray()));
      s.executeUpdate();
    }
    TableRows.notifyChanged(c, keys);
    return new NamespaceDropped(new io.floe.spi.store.CatalogStore.Dropped(namespaces, tables, views), keys);
  }

  static ConflictException protectedObject(String kind, Object name) {
    return new ConflictException(
        "%s %s is protected: lift its protection, or force the drop (force=true) with the right to", kind, name);
  }

  Page<DeletedTabular> list(WarehouseId warehouse, PageRequest page) {
    Pages.Key after = page.token() == null ? null : Pages.decodeKey(page.token());
    int size = page.size() == null ? 100 : page.size();
    return tx.readPrimary(
        c -> {
          String sql =
              "select " + DELETED_COLUMNS + " from tabular where warehouse_id = ? and deleted_at is not null"
                  + (after == null ? "" : " and (deleted_at, id) < (?, ?)")
                  + " order by deleted_at desc, id desc limit " + (size + 1);
          List<DeletedTabular> rows =
              after == null
                  ? Sql.queryList(c, sql, Deletions::deleted, warehouse.value())
                  : Sql.queryList(
                      c, sql, Deletions::deleted, warehouse.value(), Timestamp.from(after.at()),
                      after.id());
          if (rows.size() <= size) {
            return new Page<>(rows, null);
          }
          DeletedTabular last = rows.get(size - 1);
          return new Page<>(rows.subList(0, size), Pages.encodeKey(last.deletedAt(), last.id().value()));
        });
  }

  Optional<DeletedTabular> deleted(WarehouseId warehouse, TabularId id) {
    return tx.readPrimary(
        c ->
            Sql.queryOne(
                c, "select " + DELETED_COLUMNS + " from tabular where id = ? and warehouse_id = ? and deleted_at is not null",
                Deletions::deleted, id.value(), warehouse.value()));
  }

  DeletedTabular undrop(WarehouseId warehouse, TabularId id) {
    return tx.mutation(
        c -> {
          DeletedTabular deleted =
              Sql.queryOne(
                      c,
                      "select " + DELETED_COLUMNS + " from tabular where id = ? and warehouse_id = ? and deleted_at is not null"
                          + " for update",
                      Deletions::deleted, id.value(), warehouse.value())
                  .orElseThrow(() -> noSuchDeleted(id));
          UUID namespace =
              NamespaceRows.namespaceId(c, warehouse, deleted.namespace(), " for share")
                  .orElseThrow(
                      () ->
                          new ConflictException(
                              "Cannot undrop %s.%s: its namespace %s no longer exists; create it first",
                              deleted.namespace(), deleted.name(), deleted.namespace()));
          UUID task =
              Sql.queryOne(c, "select expire_task from tabular where id = ?", rs -> rs.getObject(1, UUID.class), id.value())
                  .orElse(null);
          try (PreparedStatement s =
              c.prepareStatement(
                  "update tabular set deleted_at = null, expires_at = null, deleted_from = null, purge_on_expiry = false,"
                      + " expire_task = null, namespace_id = ?, updated_at = now() where id = ?")) {
            s.setObject(1, namespace);
            s.setObject(2, id.value());
            s.executeUpdate();
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.UNIQUE_VIOLATION)) {
              throw new ConflictException(
                  "Cannot undrop %s.%s: a live table or view has taken its name", deleted.namespace(), deleted.name());
            }
            throw e;
          }
          if (task != null) {
            // the expiration would do nothing now; cancelled, it says so in the task list
            try (PreparedStatement cancel =
                c.prepareStatement("update task set state = 'cancelled', updated_at = now() where id = ? and state = 'pending'")) {
              cancel.setObject(1, task);
              cancel.executeUpdate();
            }
          }
          if (!deleted.view()) {
            TableRows.notifyChanged(c, List.of(TableRows.key(warehouse, TableIdentifier.of(deleted.namespace(), deleted.name()))));
          }
          return deleted;
        });
  }

  boolean expire(WarehouseId warehouse, TabularId id, UUID task) {
    return tx.mutation(
        c -> {
          Optional<DeletedTabular> deleted =
              Sql.queryOne(
                  c,
                  "select " + DELETED_COLUMNS + " from tabular where id = ? and warehouse_id = ? and deleted_at is not null"
                      + " and expire_task = ? for update",
                  Deletions::deleted, id.value(), warehouse.value(), task);
          if (deleted.isEmpty()) {
            return false; // undropped meanwhile, or dropped again with another task
          }
          String metadataLocation =
              Sql.queryOne(c, "select metadata_location from tabular where id = ?", rs -> rs.getString(1), id.value())
                  .orElseThrow();
          try (PreparedStatement s = c.prepareStatement("delete from tabular where id = ?")) {
            s.setObject(1, id.value());
            s.executeUpdate();
          }
          DeletedTabular gone = deleted.get();
          if (gone.purge() && !gone.view()) {
            schedulePurge(c, warehouse, id, TableIdentifier.of(gone.namespace(), gone.name()), metadataLocation);
          }
          return true;
        });
  }

  /** The purge of a table dropped for good, as a task committed with the drop. */
  static void schedulePurge(
      Connection c, WarehouseId warehouse, TabularId id, TableIdentifier identifier, String metadataLocation)
      throws SQLException {
    ObjectNode payload = payload(id, identifier, TabularRows.TABLE);
    payload.put("metadata-location", metadataLocation);
    PostgresTaskQueue.insert(c, TabularDrop.PURGE_TASK, warehouse, payload.toString(), null, 5);
  }

  private static ObjectNode payload(TabularId id, TableIdentifier identifier, String kind) {
    ObjectNode payload = JsonUtil.mapper().createObjectNode();
    payload.put("tabular-id", id.toString());
    payload.put("kind", kind);
    ArrayNode namespace = payload.putArray("namespace");
    for (String level : identifier.namespace().levels()) {
      namespace.add(level);
    }
    payload.put("name", identifier.name());
    return payload;
  }

  private static DeletedTabular deleted(ResultSet rs) throws SQLException {
    Array levels = rs.getArray(2);
    return new DeletedTabular(
        new TabularId(rs.getObject(1, UUID.class)),
        Namespace.of((String[]) levels.getArray()),
        rs.getString(3),
        TabularRows.VIEW.equals(rs.getString(4)),
        rs.getTimestamp(5).toInstant(),
        rs.getTimestamp(6).toInstant(),
        rs.getBoolean(7));
  }

  private static NotFoundException noSuchDeleted(TabularId id) {
    return new NotFoundException(NotFoundException.Kind.OBJECT, "No dropped table or view %s to undrop", id);
  }

}
