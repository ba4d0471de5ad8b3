package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.EventOutbox;
import io.floe.spi.events.OutboxEvent;
import io.floe.spi.tenancy.WarehouseId;
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
 * <p>A row's {@code seq} is drawn when it is inserted, not when its transaction commits, so a
 * reader that followed {@code seq} alone could pass a row whose transaction commits later. Every
 * writer therefore draws its {@code seq} while it holds an advisory lock (shared: writers never
 * wait for each other), until it commits. To move the readable horizon, a reader notes the last
 * number drawn, then the transactions holding the lock at that moment (any writer that drew a
 * number up to it and has not ended is among them), waits for those to end, and moves the horizon
 * to that number: nothing at or below it can appear later, and writers never wait for readers. Of
 * two changes to one object, the one that committed second drew its {@code seq} after the first
 * committed (the outbox row is the last write of a change, after its row locks), so events of
 * one object are in commit order. The sequence hands out numbers one at a time ({@code CACHE 1},
 * its default), which this relies on.
 *
 * <p>A writer that takes longer than a quarter of a second to end holds the horizon back until it
 * does: events wait, and none is lost.
 */
public final class PostgresEventOutbox implements EventOutbox {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresEventOutbox.class);
  /** The outbox lock's key as pg_locks shows it: its high and low 32 bits. */
  private static final long LOCK_CLASS = OutboxParticipant.LOCK >>> 32;
  private static final long LOCK_OBJECT = OutboxParticipant.LOCK & 0xffffffffL;
  private static final String HOLDERS =
      "select virtualtransaction from pg_locks where locktype = 'advisory' and granted"
          + " and database = (select oid from pg_database where datname = current_database())"
          + " and classid = ?::bigint::oid and objid = ?::bigint::oid and objsubid = 1";
  private static final java.time.Duration HOLDER_WAIT = java.time.Duration.ofMillis(250);
  private final long horizonEveryNanos;
  private final Transactions tx;
  private final java.util.concurrent.locks.ReentrantLock horizonLock = new java.util.concurrent.locks.ReentrantLock();
  private long lastMove;

  public PostgresEventOutbox(Database database) {
    this(database, java.time.Duration.ofMillis(50));
  }

  /** @param horizonEvery how often this server may move the horizon at most */
  public PostgresEventOutbox(Database database, java.time.Duration horizonEvery) {
    this.tx = new Transactions(requireNonNull(database, "database is null"), List.of());
    this.horizonEveryNanos = horizonEvery.toNanos();
  }

  @Override
  public List<OutboxEvent> read(WarehouseId warehouse, long after, int limit) {
    moveHorizon();
    String sql =
        "select seq, id, type, warehouse_id, object_id, event::text from event_outbox"
            + " where seq > ? and seq <= (select safe_seq from event_horizon where id = 1)"
            + (warehouse == null ? "" : " and warehouse_id = ?")
            + " order by seq limit ?";
    return tx.readPrimary(
        c ->
            warehouse == null
                ? Sql.queryList(c, sql, PostgresEventOutbox::event, after, limit)
                : Sql.queryList(c, sql, PostgresEventOutbox::event, after, warehouse.value(), limit));
  }

  /**
   * Moves the horizon up to every event written so far, so that a read sees every event committed
   * before it began. Idle, it is a plain read; otherwise this server moves it at most every
   * {@code horizonEvery}, and a read that comes sooner waits for its turn.
   */
  void moveHorizon() {
    boolean behind =
        tx.readPrimary(
            c -> {
              try (PreparedStatement s =
                      c.prepareStatement(
                          "select exists (select 1 from event_outbox where seq > (select safe_seq from event_horizon where id = 1))");
                  ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
              }
            });
    if (!behind) {
      return;
    }
    horizonLock.lock();
    try {
      long wait = lastMove + horizonEveryNanos - System.nanoTime();
      if (lastMove != 0 && wait > 0) {
        Thread.sleep(java.time.Duration.ofNanos(wait));
      }
      lastMove = System.nanoTime();
      // the last number drawn, then the writers that may hold one at or below it: every writer
      // draws its number while it holds the outbox lock, so whoever drew one by now and has not
      // ended holds the lock now
      long drawn =
          tx.readPrimary(
              c -> Sql.queryOne(c, "select case when is_called then last_value else last_value - 1 end from event_outbox_seq_seq",
                      rs -> rs.getLong(1))
                  .orElseThrow());
      List<String> writers = tx.readPrimary(c -> Sql.queryList(c, HOLDERS, rs -> rs.getString(1), LOCK_CLASS, LOCK_OBJECT));
      long deadline = System.nanoTime() + HOLDER_WAIT.toNanos();
      while (!writers.isEmpty()) {
        if (System.nanoTime() > deadline) {
          return; // a writer is slow to end: the next read tries again
        }
        Thread.sleep(1);
        List<String> waitingFor = writers;
        writers =
            tx.readPrimary(
                c -> Sql.queryList(
                    c, HOLDERS + " and virtualtransaction = any(?)", rs -> rs.getString(1), LOCK_CLASS, LOCK_OBJECT,
                    waitingFor.toArray(String[]::new)));
      }
      tx.mutation(
          c -> {
            try (java.sql.Statement s = c.createStatement()) {
              // a horizon lost in a crash is only computed again: no need to wait for the flush
              s.execute("set local synchronous_commit = off");
            }
            try (PreparedStatement s = c.prepareStatement("update event_horizon set safe_seq = greatest(safe_seq, ?) where id = 1")) {
              s.setLong(1, drawn);
              s.executeUpdate();
            }
            return null;
          });
    } catch (RuntimeException e) {
      // a writer held on longer than the lock timeout: the next read tries again
      LOG.debug("the outbox horizon did not move: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      horizonLock.unlock();
    }
  }

  @Override
  public void append(ChangeEvent event) {
    tx.mutation(
        c -> {
          OutboxParticipant.write(c, List.of(event));
          return null;
        });
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
          try (java.sql.Statement local = c.createStatement()) {
            // a cursor lost in a crash only means events delivered again (at least once)
            local.execute("set local synchronous_commit = off");
          }
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
              c.prepareStatement(
                  "delete from event_outbox where created_at < ? and seq <= (select safe_seq from event_horizon where id = 1)")) {
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
