package io.floe.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The connection pools: one to the primary for writes and for reads inside a commit, and one for
 * reads that may lag (a replica when configured, else the primary again).
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource writer;
  private final HikariDataSource reader;
  private final DatabaseConfig config;

  public Database(DatabaseConfig config, MetricsTrackerFactory metrics) {
    this.config = config;
    this.writer = pool("floe-write", config.writeUrl(), config, config.writePoolSize(), metrics, false);
    this.reader =
        config.readUrl() == null
            ? writer
            : pool("floe-read", config.readUrl(), config, config.readPoolSize(), metrics, true);
  }

  private static HikariDataSource pool(
      String name,
      String url,
      DatabaseConfig config,
      int size,
      MetricsTrackerFactory metrics,
      boolean readOnly) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    hikari.setJdbcUrl(url);
    if (config.user() != null) {
      hikari.setUsername(config.user());
    }
    if (config.password() != null) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(size);
    hikari.setMinimumIdle(Math.min(2, size));
    hikari.setConnectionTimeout(config.connectTimeout().toMillis());
    hikari.setReadOnly(readOnly);
    // fail fast at start with a clear message rather than on the first request
    hikari.setInitializationFailTimeout(config.connectTimeout().toMillis());
    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    hikari.addDataSourceProperty("tcpKeepAlive", "true");
    hikari.addDataSourceProperty("ApplicationName", "floe");
    if (metrics != null) {
      hikari.setMetricsTrackerFactory(metrics);
    }
    return new HikariDataSource(hikari);
  }

  /**
   * What a migration did.
   *
   * @param from the schema version found, null for an empty database
   * @param to the schema version now
   * @param applied how many migrations ran
   */
  public record Migrated(String from, String to, int applied) {}

  /** The newest migration this version brings (a test holds it to the migration files). */
  static final int SCHEMA_VERSION = 14;

  /**
   * At start: nothing to do when the schema is at this version or newer and no migration failed,
   * which one query tells (Flyway would scan and validate its migrations first, a fifth of start);
   * else {@link #migrate()}.
   */
  public Migrated migrateIfBehind() {
    try (Connection connection = writer.getConnection();
        Statement statement = connection.createStatement();
        java.sql.ResultSet current =
            statement.executeQuery(
                "select max(version::int) filter (where success), bool_and(success) from floe_schema_history"
                    + " where version ~ '^[0-9]+$'")) {
      if (current.next() && current.getInt(1) >= SCHEMA_VERSION && current.getBoolean(2)) {
        String version = Integer.toString(current.getInt(1));
        return new Migrated(version, version, 0);
      }
    } catch (SQLException e) {
      // no history table yet (an empty database), or not readable: Flyway says what is wrong
    }
    return migrate();
  }

  /** Brings the schema to the newest version. */
  public Migrated migrate() {
    MigrateResult result =
        Flyway.configure()
            .dataSource(writer)
            .locations("classpath:io/floe/store/postgres/migration")
            .table("floe_schema_history")
            .load()
            .migrate();
    return new Migrated(
        result.initialSchemaVersion, result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
        result.migrationsExecuted);
  }

  /**
   * How long the outcome of a commit whose answer was lost is looked into before it is reported
   * as unknown: two connection timeouts, so that a database that restarts within them is asked.
   */
  public java.time.Duration commitResolveDeadline() {
    return config.connectTimeout().multipliedBy(2);
  }

  public DataSource writer() {
    return writer;
  }

  public DataSource reader() {
    return reader;
  }

  /** Whether lists and loads go to a replica that may lag the primary. */
  public boolean hasReplica() {
    return reader != writer;
  }

  /**
   * A connection to the primary outside the pools, for a long-lived LISTEN; a read on it that
   * waits longer than {@code readTimeoutSeconds} fails, so a stalled connection is noticed.
   */
  public java.sql.Connection openDedicatedConnection(int readTimeoutSeconds) throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    if (config.user() != null) {
      properties.setProperty("user", config.user());
    }
    if (config.password() != null) {
      properties.setProperty("password", config.password());
    }
    properties.setProperty("ApplicationName", "floe-listener");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("connectTimeout", Long.toString(config.connectTimeout().toSeconds()));
    properties.setProperty("socketTimeout", Integer.toString(readTimeoutSeconds));
    return java.sql.DriverManager.getConnection(config.writeUrl(), properties);
  }

  /** Whether the primary answers a trivial query. */
  public boolean ping() {
    try (Connection connection = writer.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(2);
      return statement.execute("select 1");
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (reader != writer) {
      reader.close();
    }
    writer.close();
  }
}
