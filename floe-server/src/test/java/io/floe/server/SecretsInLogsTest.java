package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TeeStream;
import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No password reaches a log line, the database URL's included. */
class SecretsInLogsTest {
  @Test
  void theDatabasePasswordIsNeverLogged() throws Exception {
    // the test server trusts local connections, so a password in the URL is accepted and unused
    String url = TestDatabase.create() + "&password=hunter2-in-the-url";
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new TeeStream(original, log), true, StandardCharsets.UTF_8));
    try (TestServer server =
        TestServer.start(Map.of("FLOE_DATABASE_URL", url, "FLOE_DATABASE_PASSWORD", "hunter3-in-the-environment"))) {
      assertThat(server.get("/v1/config?warehouse=demo").statusCode()).isEqualTo(200);
    } finally {
      System.setErr(original);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("catalog store: PostgreSQL").contains("password=***");
    assertThat(logged).doesNotContain("hunter2").doesNotContain("hunter3");
  }
}
