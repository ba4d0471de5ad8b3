package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.error.UnavailableException;
import io.floe.spi.idempotency.Claim;
import io.floe.spi.idempotency.IdempotencyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@link IdempotencyStore} on PostgreSQL: one row per key, claimed with an insert and owned by
 * a token. {@link PostgresCatalogStore} marks the claim applied in the change's own transaction
 * (see {@link Jdbc#mutation}), which is what lets a stranded claim be resolved safely: one not
 * applied can be taken over, since its request can no longer commit once its token is gone.
 */
public final class PostgresIdempotencyStore implements IdempotencyStore {
  /** PostgreSQL's lock_not_available: the claim's row is held by a transaction still open. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final DataSource writer;
  private final java.time.Duration resolveDeadline;

  public PostgresIdempotencyStore(Database database) {
    this.writer = requireNonNull(database, "database is null").writer();
    this.resolveDeadline = database.commitResolveDeadline();
  }

  @Override
  public Claim claim(UUID key, String request, Duration lifetime, Duration staleAfter) {
    UUID token = UUID.randomUUID();
    record Row(String request, Integer status, String body, boolean applied, boolean stale, UUID token) {}
    Row row =
        Jdbc.transaction(
            writer,
            resolveDeadline,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "insert into idempotency_key (key, request, token) values (?, ?, ?) on conflict (key) do update"
                          + " set request = excluded.request, token = excluded.token, status = null, body = null,"
                          + " applied = false, created_at = now(), claimed_at = now(), finished_at = null"
                          + " where idempotency_key.created_at < now() - make_interval(secs => ?)")) {
                s.setObject(1, key);
                s.setString(2, request);
                s.setObject(3, token);
                s.setLong(4, lifetime.toSeconds());
                if (s.executeUpdate() == 1) {
                  return null;
                }
              }
              try (PreparedStatement s =
                  c.prepareStatement(
                      "select request, status, body, applied, claimed_at < now() - make_interval(secs => ?), token"
                          + " from idempotency_key where key = ?")) {
                s.setDouble(1, staleAfter.toMillis() / 1000.0);
                s.setObject(2, key);
                try (ResultSet rs = s.executeQuery()) {
                  if (!rs.next()) {
                    return new Row(null, null, null, false, false, null); // released meanwhile
                  }
                  int status = rs.getInt(2);
                  Integer finished = rs.wasNull() ? null : status;
                  return new Row(
                      rs.getString(1), finished, rs.getString(3), rs.getBoolean(4), rs.getBoolean(5),
                      rs.getObject(6, UUID.class));
                }
              }
            });
    if (row == null) {
      return new Claim.Acquired(token);
    }
    if (row.request() == null) {
      return new Claim.InProgress();
    }
    if (!row.request().equals(request)) {
      return new Claim.Mismatch(row.request());
    }
    if (row.status() != null) {
      return new Claim.Completed(row.status(), row.body());
    }
    if (row.applied()) {
      return new Claim.Applied();
    }
    if (row.stale() && row.token() != null && takeOver(key, row.token(), token)) {
      return new Claim.Acquired(token);
    }
    return new Claim.InProgress();
  }

  /**
   * Moves a claim whose request neither finished nor applied its change to a new token. A
   * transaction of the old request still open holds the row, so the move waits briefly and
   * gives up; once moved, the old request's change cannot commit (its fence fails).
   */
  private boolean takeOver(UUID key, UUID from, UUID to) {
    try {
      return onClaim(
              "500ms",
              "update idempotency_key set token = ?, claimed_at = now()"
                  + " where key = ? and token = ? and status is null and not applied",
              to, key, from)
          == 1;
    } catch (UnavailableException e) {
      if (e.getCause() instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void complete(UUID key, UUID token, int status, String body) {
    onClaim(
        null,
        "update idempotency_key set status = ?, body = ?, finished_at = now() where key = ? and token = ?",
        status, body, key, token);
  }

  @Override
  public void release(UUID key, UUID token) {
    onClaim(
        "1s",
        "delete from idempotency_key where key = ? and token = ? and status is null and not applied",
        key, token);
  }

  /**
   * Runs one statement on a claim's row in its own transaction, waiting at most {@code
   * lockTimeout} (when given) for a transaction that still holds the row; returns the rows touched.
   */
  private int onClaim(String lockTimeout, String sql, Object... args) {
    return Jdbc.transaction(
        writer,
        resolveDeadline,
        c -> {
          if (lockTimeout != null) {
            try (Statement s = c.createStatement()) {
              s.execute("set local lock_timeout = '" + lockTimeout + "'");
            }
          }
          try (PreparedStatement s = c.prepareStatement(sql)) {
            Sql.bind(c, s, args);
            return s.executeUpdate();
          }
        });
  }

  /** Deletes keys older than their lifetime; returns how many. */
  public int expire(Duration lifetime) {
    return Jdbc.transaction(
        writer,
        resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "delete from idempotency_key where created_at < now() - make_interval(secs => ?)")) {
            s.setLong(1, lifetime.toSeconds());
            return s.executeUpdate();
          }
        });
  }
}
