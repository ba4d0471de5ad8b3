package io.floe.store.postgres;

import io.floe.spi.error.CommitConflictException;
import io.floe.spi.store.TableWrite;
import io.floe.spi.store.TabularId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;

/**
 * The rows a table commit writes, planned before the transaction and written in proportion to
 * what changed: a commit adds and removes snapshots and log entries, it never rewrites history.
 */
final class TableCommits {
  private TableCommits() {}

  /** A write with its JSON already rendered, so that no CPU work happens inside the transaction. */
  record PlannedWrite(
      TableWrite write,
      String core,
      List<Snapshot> added,
      List<String> addedBodies,
      List<Long> removed,
      LogChange snapshotLog,
      LogChange metadataLog) {}

  static PlannedWrite plan(TableWrite write) {
    if (write instanceof TableWrite.Unchanged) {
      return new PlannedWrite(write, null, List.of(), List.of(), List.of(), LogChange.NONE, LogChange.NONE);
    }
    TableMetadata metadata = write.metadata();
    Set<Long> before = new HashSet<>();
    if (write instanceof TableWrite.Update update) {
      update.base().snapshots().forEach(snapshot -> before.add(snapshot.snapshotId()));
    }
    List<Snapshot> added = new ArrayList<>();
    Set<Long> after = new HashSet<>();
    for (Snapshot snapshot : metadata.snapshots()) {
      after.add(snapshot.snapshotId());
      if (!before.contains(snapshot.snapshotId())) {
        added.add(snapshot);
      }
    }
    List<Long> removed = before.stream().filter(snapshotId -> !after.contains(snapshotId)).toList();
    LogChange snapshotLog = LogChange.NONE;
    LogChange metadataLog = LogChange.NONE;
    if (write instanceof TableWrite.Update update) {
      snapshotLog =
          LogChange.between(
              update.base().snapshotLog().stream().map(e -> e.timestampMillis() + ":" + e.snapshotId()).toList(),
              metadata.snapshotLog().stream().map(e -> e.timestampMillis() + ":" + e.snapshotId()).toList());
      metadataLog =
          LogChange.between(
              update.base().previousFiles().stream().map(e -> e.timestampMillis() + ":" + e.file()).toList(),
              metadata.previousFiles().stream().map(e -> e.timestampMillis() + ":" + e.file()).toList());
    }
    return new PlannedWrite(
        write,
        TableMetadataRows.core(metadata),
        added,
        added.stream().map(TableMetadataRows::snapshot).toList(),
        removed,
        snapshotLog,
        metadataLog);
  }

  /** Inserts a new table's snapshots and logs; its tabular row is the caller's. */
  static void insertHistory(Connection c, TabularId id, PlannedWrite planned) throws SQLException {
    TableMetadata metadata = planned.write().metadata();
    insertSnapshots(c, id, planned.added(), planned.addedBodies());
    insertSnapshotLog(c, id, metadata.snapshotLog());
    insertMetadataLog(c, id, metadata.previousFiles());
  }

  /**
   * Swaps a table's pointer from its base to the new metadata (the compare-and-swap) and writes
   * only what changed: snapshots added and removed, log entries dropped from the head and
   * appended at the tail.
   *
   * @throws CommitConflictException if the pointer moved since the base was read
   */
  static void update(Connection c, TableWrite.Update update, PlannedWrite planned) throws SQLException {
    TableMetadata base = update.base();
    TableMetadata metadata = update.metadata();
    UUID id = update.id().value();
    // the compare-and-swap: it also locks the row, so concurrent commits to one table serialize here
    try (PreparedStatement s =
        c.prepareStatement(
            "update tabular set metadata_location = ?, location = ?, location_key = ?, metadata = ?,"
                + " updated_at = now() where id = ? and kind = 'table' and metadata_location = ? and deleted_at is null")) {
      s.setString(1, metadata.metadataFileLocation());
      s.setString(2, metadata.location());
      s.setString(3, TableLocations.key(metadata.location()));
      s.setString(4, planned.core());
      s.setObject(5, id);
      s.setString(6, base.metadataFileLocation());
      if (s.executeUpdate() == 0) {
        throw new CommitConflictException(
            "Cannot commit to table %s: its metadata changed concurrently", update.identifier());
      }
    }
    List<Long> removed = planned.removed();
    if (!removed.isEmpty()) {
      try (PreparedStatement s =
          c.prepareStatement("delete from table_snapshot where tabular_id = ? and snapshot_id = any (?)")) {
        s.setObject(1, id);
        s.setArray(2, c.createArrayOf("bigint", removed.toArray()));
        s.executeUpdate();
      }
    }
    insertSnapshots(c, update.id(), planned.added(), planned.addedBodies());
    applyLog(c, update.id(), "table_snapshot_log", planned.snapshotLog(),
        count -> insertSnapshotLog(c, update.id(), tail(metadata.snapshotLog(), count)));
    applyLog(c, update.id(), "table_metadata_log", planned.metadataLog(),
        count -> insertMetadataLog(c, update.id(), tail(metadata.previousFiles(), count)));
  }

  /**
   * Checks that a table is still at the version a commit was decided on and keeps it there until
   * the transaction ends (a share lock: a concurrent swap waits, then finds its base gone).
   *
   * @throws CommitConflictException if the pointer moved since the version was read
   */
  static void hold(Connection c, TableWrite.Unchanged unchanged) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select 1 from tabular where id = ? and kind = 'table' and metadata_location = ? and deleted_at is null for share")) {
      s.setObject(1, unchanged.id().value());
      s.setString(2, unchanged.metadata().metadataFileLocation());
      try (java.sql.ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new CommitConflictException(
              "Cannot commit: table %s changed concurrently", unchanged.identifier());
        }
      }
    }
  }

  private static <T> List<T> tail(List<T> list, int count) {
    return list.subList(list.size() - count, list.size());
  }

  @FunctionalInterface
  private interface TailWriter {
    void write(int count) throws SQLException;
  }

  /**
   * How a stored log goes from one version to the next. The common case, entries dropped from
   * the head and appended at the tail, touches only those rows; anything else rewrites the log.
   */
  record LogChange(boolean rewrite, int dropHead, int append) {
    static final LogChange NONE = new LogChange(false, 0, 0);

    static LogChange between(List<String> before, List<String> after) {
      if (before.equals(after)) {
        return NONE;
      }
      int head = after.isEmpty() ? before.size() : before.indexOf(after.get(0));
      if (after.isEmpty() || head < 0) {
        // nothing kept, or the first kept entry is new: when nothing is kept that is a plain append
        return before.isEmpty() || (head < 0 && !after.isEmpty() && !containsAny(before, after))
            ? new LogChange(false, before.size(), after.size())
            : new LogChange(true, 0, after.size());
      }
      int kept = before.size() - head;
      if (kept <= after.size() && before.subList(head, before.size()).equals(after.subList(0, kept))) {
        return new LogChange(false, head, after.size() - kept);
      }
      return new LogChange(true, 0, after.size());
    }

    private static boolean containsAny(List<String> before, List<String> after) {
      Set<String> seen = new HashSet<>(before);
      for (String entry : after) {
        if (seen.contains(entry)) {
          return true;
        }
      }
      return false;
    }
  }

  private static void applyLog(Connection c, TabularId id, String table, LogChange change, TailWriter append)
      throws SQLException {
    if (change.rewrite()) {
      try (PreparedStatement s = c.prepareStatement("delete from " + table + " where tabular_id = ?")) {
        s.setObject(1, id.value());
        s.executeUpdate();
      }
    } else if (change.dropHead() > 0) {
      try (PreparedStatement s =
          c.prepareStatement(
              "delete from " + table + " where tabular_id = ? and ordinal in (select ordinal from "
                  + table + " where tabular_id = ? order by ordinal limit ?)")) {
        s.setObject(1, id.value());
        s.setObject(2, id.value());
        s.setInt(3, change.dropHead());
        s.executeUpdate();
      }
    }
    if (change.append() > 0) {
      append.write(change.append());
    }
  }

  private static void insertSnapshots(Connection c, TabularId id, List<Snapshot> snapshots, List<String> bodies)
      throws SQLException {
    if (snapshots.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement("insert into table_snapshot (tabular_id, snapshot_id, body) values (?, ?, ?)")) {
      for (int i = 0; i < snapshots.size(); i++) {
        s.setObject(1, id.value());
        s.setLong(2, snapshots.get(i).snapshotId());
        s.setString(3, bodies.get(i));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void insertSnapshotLog(Connection c, TabularId id, List<org.apache.iceberg.HistoryEntry> entries)
      throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into table_snapshot_log (tabular_id, timestamp_ms, snapshot_id) values (?, ?, ?)")) {
      for (org.apache.iceberg.HistoryEntry entry : entries) {
        s.setObject(1, id.value());
        s.setLong(2, entry.timestampMillis());
        s.setLong(3, entry.snapshotId());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void insertMetadataLog(Connection c, TabularId id, List<TableMetadata.MetadataLogEntry> entries)
      throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into table_metadata_log (tabular_id, timestamp_ms, file) values (?, ?, ?)")) {
      for (TableMetadata.MetadataLogEntry entry : entries) {
        s.setObject(1, id.value());
        s.setLong(2, entry.timestampMillis());
        s.setString(3, entry.file());
        s.addBatch();
      }
      s.executeBatch();
    }
  }
}
