package io.floe.store.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.concurrent.AttemptStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which metadata location each table points at, kept in memory so that a load needs no database
 * round trip, and kept honest by PostgreSQL notifications: every transaction that moves, creates,
 * drops or renames a table sends {@code NOTIFY floe_tabular} with the table's key, and every
 * server (this one included) drops that key when the notification arrives.
 *
 * <p>Guarantees: a server never serves a pointer older than one it has committed itself (its own
 * commits invalidate synchronously); pointers moved by other servers are seen once their
 * notification arrives, typically within milliseconds. Entries are only added while the listener
 * is connected, and only if no notification arrived while they were read (a global epoch), so a
 * lost notification cannot leave a stale entry behind.
 *
 * <p>The staleness is bounded without trusting notifications to arrive:
 *
 * <ul>
 *   <li>the listener makes a round trip on its connection every heartbeat; PostgreSQL sends the
 *       notifications of every transaction committed before that round trip ahead of its answer,
 *       so an answered heartbeat proves the cache current as of when it was sent. The cache
 *       serves nothing once no heartbeat has been answered for three heartbeats (a dead, closed,
 *       stalled or half-open listener connection: reads there time out after two), and empties
 *       when the connection is lost;
 *   <li>no entry is served longer than its maximum age after it was read, which bounds what a
 *       path that drops {@code NOTIFY} (a pooler, say) could leave behind.
 * </ul>
 */
final class TablePointers implements AutoCloseable {
  static final String CHANNEL = "floe_tabular";
  /** The payload of a change to what listings show (sent by the triggers of migration V14). */
  static final String LISTING = "listing";
  private static final Logger LOG = LoggerFactory.getLogger(TablePointers.class);

  /** A table's identity, current metadata location and namespace. */
  record Pointer(java.util.UUID tabularId, String metadataLocation, java.util.UUID namespaceId) {}

  private final Database database;
  private final Cache<String, Pointer> cache;
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicBoolean listening = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final long heartbeatNanos;
  /** When the last answered heartbeat was sent; the cache is current as of then. */
  private volatile long confirmedAt;
  private final Thread listener;
  /** The listings' epoch (see {@link Listings}): moved by every notification of a listing change. */
  private final AtomicLong listingEpoch;

  TablePointers(Database database, MeterRegistry metrics, Duration heartbeat, Duration maxAge, AtomicLong listingEpoch) {
    this.database = database;
    this.listingEpoch = listingEpoch;
    this.heartbeatNanos = heartbeat.toNanos();
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(maxAge).recordStats(AttemptStats::new).build();
    CaffeineCacheMetrics.monitor(metrics, cache, "table-pointer");
    this.listener = Thread.ofPlatform().daemon().name("floe-table-listener").start(this::listen);
  }

  /** The epoch to pass to {@link #put} for a value about to be read from the database. */
  long epoch() {
    return epoch.get();
  }

  /** Whether the listener has proved its connection recently enough for the cache to serve. */
  boolean current() {
    return listening.get() && System.nanoTime() - confirmedAt < 3 * heartbeatNanos;
  }

  Pointer get(String key) {
    return current() ? cache.getIfPresent(key) : null;
  }

  /** Caches a pointer read at {@code readEpoch}, unless a notification arrived since. */
  void put(String key, Pointer pointer, long readEpoch) {
    if (current() && epoch.get() == readEpoch) {
      cache.put(key, pointer);
      if (epoch.get() != readEpoch) {
        cache.invalidate(key);
      }
    }
  }

  /** Forgets a key at once: called by this server right after its own transaction commits. */
  void invalidate(String key) {
    epoch.incrementAndGet();
    cache.invalidate(key);
  }

  private void invalidateAll() {
    epoch.incrementAndGet();
    listingEpoch.incrementAndGet();
    cache.invalidateAll();
  }

  private void listen() {
    int readTimeoutSeconds = (int) Math.max(1, Math.ceil(2.0 * heartbeatNanos / 1e9));
    while (!closed.get()) {
      try (Connection connection = database.openDedicatedConnection(readTimeoutSeconds)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        invalidateAll();
        PGConnection postgres = connection.unwrap(PGConnection.class);
        while (!closed.get()) {
          long sent = System.nanoTime();
          try (Statement statement = connection.createStatement()) {
            statement.execute("select 1");
          }
          // notifications that preceded the answer were read with it
          apply(postgres.getNotifications(1));
          confirmedAt = sent;
          listening.set(true);
          long next = sent + heartbeatNanos;
          for (long wait = next - System.nanoTime(); wait > 0 && !closed.get(); wait = next - System.nanoTime()) {
            apply(postgres.getNotifications((int) Math.max(1, wait / 1_000_000)));
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed.get()) {
          LOG.warn("Table change listener lost ({}); loads read the database until it is back", e.toString());
        }
      } finally {
        listening.set(false);
        invalidateAll();
      }
      if (!closed.get()) {
        try {
          Thread.sleep(Math.min(1_000, heartbeatNanos / 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void apply(PGNotification[] notifications) {
    if (notifications == null) {
      return;
    }
    for (PGNotification notification : notifications) {
      String key = notification.getParameter();
      if (key == null || key.isEmpty() || key.equals("*")) {
        invalidateAll();
      } else if (key.equals(LISTING)) {
        listingEpoch.incrementAndGet();
      } else {
        invalidate(key);
      }
    }
  }

  @Override
  public void close() {
    closed.set(true);
    listener.interrupt();
  }
}
