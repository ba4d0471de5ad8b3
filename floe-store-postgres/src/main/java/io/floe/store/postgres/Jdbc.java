package io.floe.store.postgres;

import io.floe.spi.error.FloeException;
import io.floe.spi.error.UnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs units of work on a connection and turns database failures into Floe errors. */
final class Jdbc {
  private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private Jdbc() {}

  static <T> T transaction(DataSource dataSource, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  static <T> T read(DataSource dataSource, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  static boolean is(SQLException e, String state) {
    return state.equals(e.getSQLState());
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it
    }
  }

  private static FloeException unavailable(SQLException e) {
    LOG.warn("Database error (SQL state {}): {}", e.getSQLState(), e.getMessage());
    return new UnavailableException(e, "Database unavailable: %s", e.getSQLState());
  }
}
