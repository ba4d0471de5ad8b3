package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.EventOutbox;
import io.floe.spi.events.OutboxEvent;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@link EventOutbox} on PostgreSQL.
 *
 * <p>A row's {@code seq} is taken when it is inserted, not when its transaction commits, so a
 * reader that followed {@code seq} could pass a row whose transaction commits later. Rows are
 * therefore read by {@code position}, which is given afterwards, in {@code seq} order, and only
 * to rows whose transaction is older than every transaction still running ({@code xid} below the
 * snapshot's {@code xmin}): no row can appear later with a smaller position. The outbox row is the
 * last write of its change, after every row lock the change took, so of two changes to one object
 * the one that committed second has the larger {@code seq}, and the larger position.
 *
 * <p>A transaction that stays open for long holds positions back (delays delivery) and loses
 * nothing.
 */
public final class PostgresEventOutbox implements EventOutbox {
  private static final int POSITION_BATCH = 10_000;
  private final Transactions tx;

  public PostgresEventOutbox(Database database) {
    this.tx = new Transactions(requireNonNull(database, "database is null"), List.of());
  }

  @Override
  public List<OutboxEvent> read(WarehouseId warehouse, long after, int limit) {
    position();
    String sql =
        "select position, id, type, warehouse_id, object_id, event::text from event_outbox where position > ?"
            + (warehouse == null ? "" : " and warehouse_id = ?")
            + " order by position limit ?";
    return tx.readPrimary(
        c ->
            warehouse == null
                ? Sql.queryList(c, sql, PostgresEventOutbox::event, after, limit)
                : Sql.queryList(c, sql, PostgresEventOutbox::event, after, warehouse.value(), limit));
  }

  /**
   * Gives positions to the rows whose transactions have all ended. Idle readers poll often: a
   * plain read first, and a transaction only when there is something to position.
   */
  void position() {
    boolean waiting =
        tx.readPrimary(
            c -> {
              try (PreparedStatement s =
                      c.prepareStatement(
                          "select exists (select 1 from event_outbox where position is null"
                              + " and xid < pg_snapshot_xmin(pg_current_snapshot()))");
                  ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
              }
            });
    if (waiting) {
      tx.mutation(PostgresEventOutbox::position);
    }
  }

  private static Void position(Connection c) throws SQLException {
    long last;
    try (PreparedStatement s = c.prepareStatement("select last from event_position where id = 1 for update");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      last = rs.getLong(1);
    }
    int given;
    try (PreparedStatement s =
        c.prepareStatement(
            "with next as (select seq, row_number() over (order by seq) as n from event_outbox"
                + " where position is null and xid < pg_snapshot_xmin(pg_current_snapshot()) order by seq limit ?)"
                + " update event_outbox o set position = ? + next.n from next where o.seq = next.seq")) {
      s.setInt(1, POSITION_BATCH);
      s.setLong(2, last);
      given = s.executeUpdate();
    }
    if (given > 0) {
      try (PreparedStatement s = c.prepareStatement("update event_position set last = ? where id = 1")) {
        s.setLong(1, last + given);
        s.executeUpdate();
      }
    }
    return null;
  }

  @Override
  public void append(ChangeEvent event) {
    io.floe.spi.events.ChangeEvents.during(
        event,
        () ->
            tx.mutation(
                c -> {
                  new OutboxParticipant().beforeCommit(c);
                  return null;
                }));
  }

  @Override
  public long cursor(String publisher) {
    return tx.readPrimary(
        c -> Sql.queryOne(c, "select position from event_cursor where publisher = ?", rs -> rs.getLong(1), publisher))
        .orElse(0L);
  }

  @Override
  public void advance(String publisher, long position) {
    tx.mutation(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into event_cursor (publisher, position) values (?, ?) on conflict (publisher) do update"
                      + " set position = greatest(event_cursor.position, excluded.position), updated_at = now()")) {
            s.setString(1, publisher);
            s.setLong(2, position);
            s.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public int prune(Instant before) {
    return tx.mutation(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("delete from event_outbox where created_at < ? and position is not null")) {
            s.setTimestamp(1, Timestamp.from(before));
            return s.executeUpdate();
          }
        });
  }

  private static OutboxEvent event(ResultSet rs) throws SQLException {
    UUID warehouse = rs.getObject(4, UUID.class);
    return new OutboxEvent(
        rs.getLong(1),
        rs.getObject(2, UUID.class),
        rs.getString(3),
        warehouse == null ? null : new WarehouseId(warehouse),
        rs.getObject(5, UUID.class),
        rs.getString(6));
  }
}
