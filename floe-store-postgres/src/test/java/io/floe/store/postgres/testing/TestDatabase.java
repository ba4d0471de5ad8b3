package io.floe.store.postgres.testing;

import io.floe.store.postgres.Database;
import io.floe.store.postgres.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * A fresh database on the PostgreSQL server the test command started ({@code
 * FLOE_TEST_DATABASE_URL}), so that each test class starts from an empty catalog.
 */
public final class TestDatabase {
  private TestDatabase() {}

  /** The server-level URL, ending in a database name, with credentials as query parameters. */
  public static String serverUrl() {
    String url = System.getenv("FLOE_TEST_DATABASE_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "FLOE_TEST_DATABASE_URL is not set: run the tests through scripts/test.sh, which starts PostgreSQL");
    }
    return url;
  }

  /** Creates an empty database and returns its JDBC URL. */
  public static String create() {
    String name = "floe_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(serverUrl());
        Statement statement = connection.createStatement()) {
      statement.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create a test database: " + e.getMessage(), e);
    }
    String url = serverUrl();
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String parameters = query < 0 ? "" : url.substring(query);
    return base.substring(0, base.lastIndexOf('/') + 1) + name + parameters;
  }

  /** A migrated database with Floe's pools. */
  public static Database migrated() {
    Database database =
        new Database(new DatabaseConfig(create(), null, null, null, 4, 4, Duration.ofSeconds(5)), null);
    database.migrate();
    return database;
  }
}
