package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.idempotency.Claim;
import io.floe.spi.idempotency.IdempotencyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/** {@link IdempotencyStore} on PostgreSQL: one row per key, claimed with an insert. */
public final class PostgresIdempotencyStore implements IdempotencyStore {
  private final DataSource writer;
  private final java.time.Duration resolveDeadline;

  public PostgresIdempotencyStore(Database database) {
    this.writer = requireNonNull(database, "database is null").writer();
    this.resolveDeadline = database.commitResolveDeadline();
  }

  @Override
  public Claim claim(UUID key, String request, Duration lifetime) {
    return Jdbc.transaction(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into idempotency_key (key, request) values (?, ?) on conflict (key) do update"
                      + " set request = excluded.request, status = null, body = null, created_at = now(),"
                      + " finished_at = null"
                      + " where idempotency_key.created_at < now() - make_interval(secs => ?)")) {
            s.setObject(1, key);
            s.setString(2, request);
            s.setLong(3, lifetime.toSeconds());
            if (s.executeUpdate() == 1) {
              return new Claim.Acquired();
            }
          }
          try (PreparedStatement s =
              c.prepareStatement("select request, status, body from idempotency_key where key = ?")) {
            s.setObject(1, key);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                // released between the two statements: the caller may simply try again
                return new Claim.InProgress();
              }
              String claimed = rs.getString(1);
              if (!claimed.equals(request)) {
                return new Claim.Mismatch(claimed);
              }
              int status = rs.getInt(2);
              if (rs.wasNull()) {
                return new Claim.InProgress();
              }
              return new Claim.Completed(status, rs.getString(3));
            }
          }
        });
  }

  @Override
  public void complete(UUID key, int status, String body) {
    Jdbc.transaction(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update idempotency_key set status = ?, body = ?, finished_at = now() where key = ?")) {
            s.setInt(1, status);
            s.setString(2, body);
            s.setObject(3, key);
            s.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void release(UUID key) {
    Jdbc.transaction(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("delete from idempotency_key where key = ? and status is null")) {
            s.setObject(1, key);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** Deletes keys older than their lifetime; returns how many. */
  public int expire(Duration lifetime) {
    return Jdbc.transaction(writer, resolveDeadline,
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
