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
 * <p>A row's {@code seq} is drawn when it is inserted, not when its transaction commits, so a
 * reader that followed {@code seq} alone could pass a row whose transaction commits later. Every
 * writer therefore holds an advisory lock in shared mode from before it draws its {@code seq}
 * until it commits, and the horizon is moved by taking that lock in exclusive mode, which is
 * granted once every writer under way has ended and before any new one draws a number: the
 * highest {@code seq} then visible is final, and readers never read past it. Of two changes to one
 * object, the one that committed second drew its {@code seq} after the first committed (the outbox
 * row is the last write of a change, after its row locks), so events of one object are in commit
 * order.
 *
 * <p>Moving the horizon waits at most a quarter of a second for writers, and is tried again on the
 * next read when a writer takes longer; new writers wait behind it for as long as it waits.
 */
public final class PostgresEventOutbox implements EventOutbox {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresEventOutbox.class);
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
   * {@code horizonEvery} (writers wait while it moves), and a read that comes sooner waits for its
   * turn.
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
      tx.mutation(
          c -> {
            try (java.sql.Statement s = c.createStatement()) {
              s.execute("set local lock_timeout = '250ms'");
              // writers wait while this holds the lock: it need not wait for its own flush, since a
              // horizon lost in a crash is only computed again (it is a maximum of what is final)
              s.execute("set local synchronous_commit = off");
              s.execute("select pg_advisory_xact_lock(" + OutboxParticipant.LOCK + ")");
              s.executeUpdate(
                  "update event_horizon set safe_seq = greatest(safe_seq, (select coalesce(max(seq), 0) from event_outbox))"
                      + " where id = 1");
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
