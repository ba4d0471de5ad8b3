package io.floe.store.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * lost notification cannot leave a stale entry behind. If the listener connection fails, the
 * cache empties and stays off until the connection is back.
 */
final class TablePointers implements AutoCloseable {
  static final String CHANNEL = "floe_tabular";
  private static final Logger LOG = LoggerFactory.getLogger(TablePointers.class);

  /** A table's identity and current metadata location. */
  record Pointer(java.util.UUID tabularId, String metadataLocation) {}

  private final Database database;
  private final Cache<String, Pointer> cache;
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicBoolean listening = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread listener;

  TablePointers(Database database, MeterRegistry metrics) {
    this.database = database;
    this.cache = Caffeine.newBuilder().maximumSize(100_000).recordStats().build();
    CaffeineCacheMetrics.monitor(metrics, cache, "table-pointer");
    this.listener = Thread.ofPlatform().daemon().name("floe-table-listener").start(this::listen);
  }

  /** The epoch to pass to {@link #put} for a value about to be read from the database. */
  long epoch() {
    return epoch.get();
  }

  Pointer get(String key) {
    return listening.get() ? cache.getIfPresent(key) : null;
  }

  /** Caches a pointer read at {@code readEpoch}, unless a notification arrived since. */
  void put(String key, Pointer pointer, long readEpoch) {
    if (listening.get() && epoch.get() == readEpoch) {
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
    cache.invalidateAll();
  }

  private void listen() {
    while (!closed.get()) {
      try (Connection connection = database.openDedicatedConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        invalidateAll();
        listening.set(true);
        PGConnection postgres = connection.unwrap(PGConnection.class);
        while (!closed.get()) {
          PGNotification[] notifications = postgres.getNotifications(1_000);
          if (notifications == null) {
            continue;
          }
          for (PGNotification notification : notifications) {
            String key = notification.getParameter();
            if (key == null || key.isEmpty() || key.equals("*")) {
              invalidateAll();
            } else {
              invalidate(key);
            }
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
          Thread.sleep(1_000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed.set(true);
    listener.interrupt();
  }
}
