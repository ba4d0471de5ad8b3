package io.floe.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import io.floe.server.testing.TempDirectories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded default survives what a new user does: delete the data directory to start afresh,
 * from a checkout under a private home that user nobody (who runs PostgreSQL for root) cannot
 * enter, where the cluster has to live elsewhere.
 */
class EmbeddedResetTest {
  private static Path base;
  private static Path sharedHomes;
  private static Path privateHome;

  @AfterAll
  static void removeDirectories() {
    if (base != null) {
      TempDirectories.delete(base);
    }
  }

  @BeforeAll
  static void directories() throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root runs PostgreSQL as nobody elsewhere");
    base = Files.createTempDirectory("floe-reset");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    sharedHomes = base.resolve("shared");
    privateHome = base.resolve("home");
    Files.createDirectories(privateHome);
    // like /root: its owner alone may enter it
    Files.setPosixFilePermissions(privateHome, PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void deletingTheDataDirectoryStartsAfresh() throws Exception {
    Path data = privateHome.resolve("floe-data-reset");
    EmbeddedPostgres first = EmbeddedPostgres.start(data, 0, sharedHomes);
    try {
      execute(first, "create table left_behind (id int)");
    } finally {
      first.close();
    }
    Path home = EmbeddedPostgres.homeFor(sharedHomes, data);
    assertThat(home.resolve("postgres/PG_VERSION")).exists();

    TempDirectories.delete(data);
    EmbeddedPostgres second = EmbeddedPostgres.start(data, 0, sharedHomes);
    try {
      // the new password opens the cluster, and the cluster is a new one
      assertThat(query(second, "select count(*) from pg_tables where tablename = 'left_behind'")).isEqualTo(0);
    } finally {
      second.close();
    }
    TempDirectories.delete(data);
  }

  @Test
  void clustersOfDataDirectoriesThatAreGoneAreRemoved() throws Exception {
    Path one = privateHome.resolve("floe-data-one");
    Path two = privateHome.resolve("floe-data-two");
    EmbeddedPostgres.start(one, 0, sharedHomes).close();
    assertThat(EmbeddedPostgres.homeFor(sharedHomes, one)).exists();
    TempDirectories.delete(one);
    EmbeddedPostgres.start(two, 0, sharedHomes).close();
    // one's cluster went with its data directory; two's stays with its own
    assertThat(EmbeddedPostgres.homeFor(sharedHomes, one)).doesNotExist();
    assertThat(EmbeddedPostgres.homeFor(sharedHomes, two).resolve("postgres/PG_VERSION")).exists();
    TempDirectories.delete(two);
  }

  @Test
  void aPasswordThatNoLongerOpensTheClusterSaysWhatToDelete() throws Exception {
    Path data = privateHome.resolve("floe-data-password");
    EmbeddedPostgres.start(data, 0, sharedHomes).close();
    Files.delete(data.resolve("postgres.password"));
    assertThatThrownBy(() -> EmbeddedPostgres.start(data, 0, sharedHomes))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("delete " + sharedHomes)
        .hasMessageContaining("to start afresh");
    assertThat(Files.getPosixFilePermissions(data.resolve("postgres.password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  private static void execute(EmbeddedPostgres postgres, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
      c.createStatement().execute(sql);
    }
  }

  private static int query(EmbeddedPostgres postgres, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

}
