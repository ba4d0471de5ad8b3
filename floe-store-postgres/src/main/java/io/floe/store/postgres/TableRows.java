package io.floe.store.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.concurrent.AttemptStats;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TableEntry;
import io.floe.spi.store.TableWrite;
import io.floe.spi.store.TabularDrop;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.TableMetadataRows.MetadataLogRow;
import io.floe.store.postgres.TableMetadataRows.SnapshotLogRow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Tables: the pointer to each table's current metadata and its history rows, commits as a
 * compare-and-swap on the pointer, and the caches that let a load skip the database.
 */
final class TableRows {
  private final Transactions tx;
  private final TabularRows tabulars;
  private final Timer loadTimer;
  private final Timer commitTimer;
  /**
   * Parsed metadata by metadata location. A location names one immutable version, so an entry
   * cannot go stale; it spares a load or a commit from reading the table's history rows when the
   * pointer still names a version this server has seen. Weighed by an estimate of its size in
   * memory (kilobytes), so that the bound holds for tables with long histories of small changes as
   * well as for tables with many snapshots.
   */
  private final Cache<String, TableMetadata> metadataCache;
  /** Table pointers in memory, or null when loads always read the database. */
  private final TablePointers pointers;

  TableRows(Transactions tx, TabularRows tabulars, TablePointers pointers, long metadataBytes, MeterRegistry metrics) {
    this.tx = tx;
    this.metadataCache =
        Caffeine.newBuilder()
            .maximumWeight(metadataBytes / 1024)
            .weigher((String location, TableMetadata metadata) -> MetadataSize.kilobytes(metadata))
            .recordStats(AttemptStats::new)
            .build();
    this.tabulars = tabulars;
    this.pointers = pointers;
    this.loadTimer = operationTimer(metrics, "load-table");
    this.commitTimer = operationTimer(metrics, "commit-tables");
    CaffeineCacheMetrics.monitor(metrics, metadataCache, "table-metadata");
  }

  private static Timer operationTimer(MeterRegistry metrics, String operation) {
    return Timer.builder("floe.store.operation")
        .description("Time spent in the database per store operation")
        .tag("operation", operation)
        .register(metrics);
  }

  // ---------------------------------------------------------------- tables

  /**
   * Reads a table and its history in one statement, so that the parts come from one snapshot of
   * the database even while commits land (separate statements could mix two versions).
   */
  private static final String LOAD_TABLE =
      "select t.id, t.metadata_location, t.metadata,"
          + " array(select s.body from table_snapshot s where s.tabular_id = t.id order by s.ordinal),"
          + " array(select l.timestamp_ms from table_snapshot_log l where l.tabular_id = t.id order by l.ordinal),"
          + " array(select l.snapshot_id from table_snapshot_log l where l.tabular_id = t.id order by l.ordinal),"
          + " array(select m.timestamp_ms from table_metadata_log m where m.tabular_id = t.id order by m.ordinal),"
          + " array(select m.file from table_metadata_log m where m.tabular_id = t.id order by m.ordinal)"
          + " from tabular t join namespace n on n.id = t.namespace_id"
          + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.kind = 'table' and t.deleted_at is null";

  Optional<TableEntry> table(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    if (pointers != null && mode == ReadMode.REPLICA_OK) {
      TablePointers.Pointer pointer = pointers.get(key(warehouse, identifier));
      TableMetadata cached = pointer == null ? null : metadataCache.getIfPresent(pointer.metadataLocation());
      if (cached != null) {
        return Optional.of(new TableEntry(new TabularId(pointer.tabularId()), identifier, cached));
      }
    }
    return loadTimer.record(() -> tx.read(mode, c -> loadTable(c, warehouse, identifier)));
  }

  Optional<String> tableMetadataLocation(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return pointer(warehouse, identifier, mode).map(TablePointers.Pointer::metadataLocation);
  }

  /** A table's id and namespace, from the same pointer (and cache) as its metadata location. */
  Optional<io.floe.spi.store.TabularRef> tabularRef(WarehouseId warehouse, TableIdentifier identifier) {
    return pointer(warehouse, identifier, ReadMode.REPLICA_OK)
        .map(p -> new io.floe.spi.store.TabularRef(new TabularId(p.tabularId()), p.namespaceId()));
  }

  /** A table's pointer: from memory when allowed and known, else from the database. */
  private Optional<TablePointers.Pointer> pointer(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    boolean cached = pointers != null && mode == ReadMode.REPLICA_OK;
    String key = cached ? key(warehouse, identifier) : null;
    if (cached) {
      TablePointers.Pointer pointer = pointers.get(key);
      if (pointer != null) {
        return Optional.of(pointer);
      }
    }
    long epoch = cached ? pointers.epoch() : 0;
    Optional<TablePointers.Pointer> read =
        tx.read(mode, c -> readPointer(c, warehouse, identifier));
    if (cached) {
      read.ifPresent(pointer -> pointers.put(key, pointer, epoch));
    }
    return read;
  }

  static String key(WarehouseId warehouse, TableIdentifier identifier) {
    return warehouse + "/" + String.join("\u001f", identifier.namespace().levels()) + "/" + identifier.name();
  }

  /** Tells every server (this one through the listener too) that these tables' pointers moved. */
  static void notifyChanged(Connection c, List<String> keys) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_notify('" + TablePointers.CHANNEL + "', ?)")) {
      for (String key : keys) {
        s.setString(1, key.length() < 7000 ? key : "*");
        s.executeQuery().close();
      }
    }
  }

  private void invalidateAfterCommit(List<String> keys) {
    if (pointers != null) {
      keys.forEach(pointers::invalidate);
    }
  }

  void close() {
    if (pointers != null) {
      pointers.close();
    }
  }

  private static final String TABLE_POINTER =
      "select t.id, t.metadata_location, t.namespace_id from tabular t join namespace n on n.id = t.namespace_id"
          + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.kind = 'table' and t.deleted_at is null";

  private Optional<TableEntry> loadTable(Connection c, WarehouseId warehouse, TableIdentifier identifier)
      throws SQLException {
    Optional<TablePointers.Pointer> pointer = readPointer(c, warehouse, identifier);
    if (pointer.isEmpty()) {
      return Optional.empty();
    }
    TableMetadata cached = metadataCache.getIfPresent(pointer.get().metadataLocation());
    if (cached != null) {
      return Optional.of(new TableEntry(new TabularId(pointer.get().tabularId()), identifier, cached));
    }
    Optional<TableEntry> loaded = loadTableWithHistory(c, warehouse, identifier);
    loaded.ifPresent(entry -> metadataCache.put(entry.metadataLocation(), entry.metadata()));
    return loaded;
  }

  private static Optional<TablePointers.Pointer> readPointer(
      Connection c, WarehouseId warehouse, TableIdentifier identifier) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(TABLE_POINTER)) {
      Sql.bindName(c, s, warehouse, identifier);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new TablePointers.Pointer(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class)))
            : Optional.empty();
      }
    }
  }



  private Optional<TableEntry> loadTableWithHistory(Connection c, WarehouseId warehouse, TableIdentifier identifier)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LOAD_TABLE)) {
      Sql.bindName(c, s, warehouse, identifier);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String[] snapshots = (String[]) rs.getArray(4).getArray();
        Long[] snapshotTimes = (Long[]) rs.getArray(5).getArray();
        Long[] snapshotIds = (Long[]) rs.getArray(6).getArray();
        Long[] metadataTimes = (Long[]) rs.getArray(7).getArray();
        String[] metadataFiles = (String[]) rs.getArray(8).getArray();
        List<SnapshotLogRow> snapshotLog = new ArrayList<>(snapshotIds.length);
        for (int i = 0; i < snapshotIds.length; i++) {
          snapshotLog.add(new SnapshotLogRow(snapshotTimes[i], snapshotIds[i]));
        }
        List<MetadataLogRow> metadataLog = new ArrayList<>(metadataFiles.length);
        for (int i = 0; i < metadataFiles.length; i++) {
          metadataLog.add(new MetadataLogRow(metadataTimes[i], metadataFiles[i]));
        }
        TableMetadata metadata =
            TableMetadataRows.assemble(rs.getString(2), rs.getString(3), Arrays.asList(snapshots), snapshotLog, metadataLog);
        return Optional.of(new TableEntry(new TabularId(rs.getObject(1, UUID.class)), identifier, metadata));
      }
    }
  }

  Page<TableIdentifier> listTables(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, java.util.Set<UUID> only) {
    return tabulars.listTabulars(warehouse, namespace, page, mode, TabularRows.TABLE, only);
  }

  void commitTables(WarehouseId warehouse, List<TableWrite> writes) {
    List<TableCommits.PlannedWrite> planned = writes.stream().map(TableCommits::plan).toList();
    List<String> keys =
        writes.stream()
            .filter(write -> !(write instanceof TableWrite.Unchanged))
            .map(write -> key(warehouse, identifier(write)))
            .toList();
    try {
      commitTimer.record(() -> commitInTransaction(warehouse, planned, keys));
    } finally {
      // also when the outcome is unknown: the pointers may have moved
      invalidateAfterCommit(keys);
    }
    for (TableWrite write : writes) {
      metadataCache.put(write.metadata().metadataFileLocation(), write.metadata());
    }
  }

  private void commitInTransaction(WarehouseId warehouse, List<TableCommits.PlannedWrite> writes, List<String> keys) {
    tx.mutation(
        c -> {
          // sent only if the transaction commits, whenever it is issued: issued before the swaps,
          // it is not one more round trip while they hold their rows' locks
          notifyChanged(c, keys);
          for (TableCommits.PlannedWrite planned : writes) {
            switch (planned.write()) {
              case TableWrite.Create create -> {
                // after the insert, so that a taken name is reported as such
                createTable(c, warehouse, create, planned);
                TableLocations.claim(c, warehouse, create.id(), create.identifier(), create.metadata().location());
              }
              case TableWrite.Update update -> {
                if (!update.base().location().equals(update.metadata().location())) {
                  TableLocations.claim(c, warehouse, update.id(), update.identifier(), update.metadata().location());
                }
                TableCommits.update(c, update, planned);
              }
              case TableWrite.Unchanged unchanged -> TableCommits.hold(c, unchanged);
            }
          }
          return null;
        });
  }

  private static TableIdentifier identifier(TableWrite write) {
    return switch (write) {
      case TableWrite.Create create -> create.identifier();
      case TableWrite.Update update -> update.identifier();
      case TableWrite.Unchanged unchanged -> unchanged.identifier();
    };
  }

  private void createTable(
      Connection c, WarehouseId warehouse, TableWrite.Create create, TableCommits.PlannedWrite planned)
      throws SQLException {
    TableMetadata metadata = create.metadata();
    tabulars.insertTabular(
        c,
        warehouse,
        create.id(),
        create.identifier(),
        TabularRows.TABLE,
        metadata.metadataFileLocation(),
        metadata.location(),
        planned.core());
    TableCommits.insertHistory(c, create.id(), planned);
  }

  TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier, TabularDrop drop) {
    try {
      return tx.mutation(
          c -> {
            TableEntry entry =
                loadTable(c, warehouse, identifier)
                    .orElseThrow(
                        () -> new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier));
            tabulars.dropTabular(c, warehouse, identifier, TabularRows.TABLE, drop);
            notifyChanged(c, List.of(key(warehouse, identifier)));
            return entry;
          });
    } finally {
      invalidateAfterCommit(List.of(key(warehouse, identifier)));
    }
  }

  /** Forgets cached pointers of tables that a transaction just changed. */
  void invalidate(List<String> keys) {
    invalidateAfterCommit(keys);
  }

  Optional<TableIdentifier> tableOverlapping(WarehouseId warehouse, String location) {
    return tx.readPrimary(c ->
            TableLocations.find(c, warehouse, new TabularId(new UUID(0, 0)), location)
                .map(TableLocations.Overlap::table));
  }

  void renameTable(WarehouseId warehouse, TableIdentifier from, TableIdentifier to, TabularId expected) {
    try {
      tabulars.renameTabular(warehouse, from, to, TabularRows.TABLE, expected);
    } finally {
      invalidateAfterCommit(List.of(key(warehouse, from), key(warehouse, to)));
    }
  }

}
