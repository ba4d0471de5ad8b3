package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.store.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Start skips Flyway only when the schema is certainly current. */
class SchemaVersionTest {
  @Test
  void theVersionStartChecksIsTheNewestMigration() throws Exception {
    Pattern name = Pattern.compile("V(\\d+)__.*\\.sql");
    int newest = 0;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/io/floe/store/postgres/migration"))) {
      for (Path file : files.toList()) {
        Matcher matcher = name.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          newest = Math.max(newest, Integer.parseInt(matcher.group(1)));
        }
      }
    }
    assertThat(Database.SCHEMA_VERSION).as("Database.SCHEMA_VERSION").isEqualTo(newest);
  }

  @Test
  void anEmptyOrBehindDatabaseIsMigratedAndACurrentOneIsLeftAlone() throws Exception {
    try (Database database = new Database(new DatabaseConfig(TestDatabase.create(), null, null, null, 2, 2, Duration.ofSeconds(5)), null)) {
      Database.Migrated first = database.migrateIfBehind();
      assertThat(first.applied()).isEqualTo(Database.SCHEMA_VERSION);
      assertThat(first.to()).isEqualTo(Integer.toString(Database.SCHEMA_VERSION));
      Database.Migrated second = database.migrateIfBehind();
      assertThat(second).isEqualTo(new Database.Migrated(first.to(), first.to(), 0));
      // the newest migration undone in the history: start runs Flyway, which applies it again
      try (Connection connection = database.writer().getConnection(); Statement statement = connection.createStatement()) {
        // what V14 made: the listing triggers and their function
        statement.execute("drop function floe_listing_changed() cascade");
        statement.execute("delete from floe_schema_history where version = '" + Database.SCHEMA_VERSION + "'");
      }
      Database.Migrated third = database.migrateIfBehind();
      assertThat(third.applied()).isEqualTo(1);
      assertThat(third.to()).isEqualTo(first.to());
    }
  }
}
