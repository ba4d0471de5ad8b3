package io.floe.store.postgres;

import io.floe.spi.concurrent.NonBlocking;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.FloeException;
import io.floe.spi.error.UnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work on a connection and turns database failures into Floe errors.
 *
 * <p>A transaction's outcome is certain in every case but one: when {@code COMMIT} was sent and
 * no answer came back (the connection dropped, the server restarted). Then the transaction may
 * have landed. When it begins, a transaction notes its id and its backend; if the commit call
 * fails, {@link #resolve} asks the database on another connection whether that id committed, and
 * ends a backend that still holds it open, so that the answer becomes definite. Only when the
 * database stays unreachable past a deadline does the caller get {@link
 * CommitStateUnknownException}; every other exception means that nothing was applied.
 *
 * <p>Taking a connection may wait: in a {@link NonBlocking} attempt, every unit of work stops
 * before it.
 */
final class Jdbc {
  private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** What became of a transaction whose commit call failed. */
  enum Outcome {
    COMMITTED,
    ABORTED,
    UNKNOWN
  }

  /** The transaction being committed: its id and its backend. */
  record Marker(String xid, int backendPid) {}

  private Jdbc() {}

  /**
   * Runs {@code work} in one transaction.
   *
   * @param resolveDeadline how long a commit with no answer is looked into before it is
   *     reported as unknown
   */
  static <T> T transaction(DataSource dataSource, Duration resolveDeadline, Work<T> work) {
    return transaction(dataSource, resolveDeadline, List.of(), work);
  }

  /**
   * Runs {@code work} in one transaction that each participant joins just before the commit.
   *
   * @param resolveDeadline how long a commit with no answer is looked into before it is
   *     reported as unknown
   */
  static <T> T transaction(
      DataSource dataSource, Duration resolveDeadline, List<MutationParticipant> participants, Work<T> work) {
    return run(dataSource, resolveDeadline, work, participants);
  }

  private static <T> T run(
      DataSource dataSource, Duration resolveDeadline, Work<T> work, List<MutationParticipant> participants) {
    NonBlocking.checkCanBlock();
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw unavailable(e);
    }
    try {
      T result;
      Marker marker;
      try {
        connection.setAutoCommit(false);
        // first, not last: a commit to a busy table then holds its row lock one round trip less
        marker = marker(connection);
        result = work.run(connection);
        for (MutationParticipant participant : participants) {
          participant.beforeCommit(connection);
        }
      } catch (SQLException | RuntimeException e) {
        // COMMIT was never sent: PostgreSQL rolls the transaction back, even if this rollback is lost
        rollbackQuietly(connection);
        throw e instanceof SQLException sql ? mapped(sql) : (RuntimeException) e;
      }
      try {
        connection.commit();
        return result;
      } catch (SQLException e) {
        Outcome outcome = resolve(dataSource, marker, resolveDeadline);
        LOG.warn(
            "Commit call failed (SQL state {}: {}); the transaction {} {}",
            e.getSQLState(), e.getMessage(), marker.xid(), outcome.name().toLowerCase(java.util.Locale.ROOT));
        return switch (outcome) {
          case COMMITTED -> result;
          case ABORTED -> throw mapped(e);
          case UNKNOWN ->
              throw new CommitStateUnknownException(
                  e, "The database did not confirm the commit and could not be asked in time whether it landed");
        };
      }
    } finally {
      closeQuietly(connection);
    }
  }

  static <T> T read(DataSource dataSource, Work<T> work) {
    NonBlocking.checkCanBlock();
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw mapped(e);
    }
  }

  static boolean is(SQLException e, String state) {
    return state.equals(e.getSQLState());
  }

  /** The transaction's id (assigned now) and its backend's process id. */
  private static Marker marker(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select pg_current_xact_id()::text, pg_backend_pid()")) {
      rs.next();
      return new Marker(rs.getString(1), rs.getInt(2));
    }
  }

  /**
   * Finds out on fresh connections whether a transaction committed. A backend that still holds it
   * open is ended: had it received {@code COMMIT}, it finishes committing first (PostgreSQL holds
   * interrupts while it commits); if not, it rolls back. Either way the answer becomes definite.
   */
  static Outcome resolve(DataSource dataSource, Marker marker, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    boolean terminated = false;
    while (System.nanoTime() < end) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        String status;
        try (PreparedStatement s = c.prepareStatement("select pg_xact_status(?::xid8)")) {
          s.setString(1, marker.xid());
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            status = rs.getString(1);
          }
        }
        if ("committed".equals(status)) {
          return Outcome.COMMITTED;
        }
        if ("aborted".equals(status)) {
          return Outcome.ABORTED;
        }
        if (status == null) {
          return Outcome.UNKNOWN; // too old for the commit log: cannot happen within seconds
        }
        if (!terminated) {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select pg_terminate_backend(pid) from pg_stat_activity"
                      + " where pid = ? and backend_xid::text = (?::bigint % 4294967296)::text")) {
            s.setInt(1, marker.backendPid());
            s.setString(2, marker.xid());
            s.executeQuery().close();
            terminated = true;
          } catch (SQLException e) {
            LOG.warn("Cannot end backend {} holding transaction {}: {}", marker.backendPid(), marker.xid(), e.getMessage());
            terminated = true;
          }
        }
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Cannot ask for transaction {} yet: {}", marker.xid(), e.toString());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.UNKNOWN;
      }
    }
    return Outcome.UNKNOWN;
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the outcome is already decided; a broken connection is the pool's to discard
    }
  }

  /**
   * Turns a database error into a Floe error. Data exceptions (class 22) and integrity
   * violations (class 23) not handled where they arise are caused by request content or a
   * concurrent change, never by an outage: they become 400 and 409.
   */
  static FloeException mapped(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("22")) {
      return new BadRequestException(e, "Invalid request: the catalog cannot store a value it contains (%s)", firstLine(e));
    }
    if (state != null && state.startsWith("23")) {
      return new CommitConflictException(e, "Request conflicts with a concurrent change (%s)", firstLine(e));
    }
    return unavailable(e);
  }

  private static String firstLine(SQLException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static FloeException unavailable(SQLException e) {
    LOG.warn("Database error (SQL state {}): {}", e.getSQLState(), e.getMessage());
    return new UnavailableException(e, "Database unavailable: %s", e.getSQLState());
  }
}
