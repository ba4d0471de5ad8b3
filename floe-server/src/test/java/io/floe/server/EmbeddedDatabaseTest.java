package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.config.FloeConfig;
import io.floe.server.testing.TempDirectories;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded default: Floe runs its own PostgreSQL, bootstraps the demo warehouse, keeps data
 * across restarts, and answers 503 (not 500) when its database goes away.
 */
class EmbeddedDatabaseTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void runsItsOwnPostgresKeepsDataAndReports503WhenItStops() throws Exception {
    Path data = Files.createTempDirectory("floe-embedded");
    // PostgreSQL may run as another user (nobody) when the tests run as root
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> environment = Map.of("FLOE_PORT", "0", "FLOE_DATA_DIR", data.toString());
    try {
      servesAndKeeps(environment, data);
    } finally {
      TempDirectories.delete(data);
    }
  }

  private void servesAndKeeps(Map<String, String> environment, Path data) throws Exception {
    try (Floe floe = Floe.start(FloeConfig.load(environment))) {
      String prefix = prefix(floe);
      assertThat(post(floe, "/v1/" + prefix + "/namespaces", "{\"namespace\":[\"kept\"]}").statusCode()).isEqualTo(200);
    }
    try (Floe floe = Floe.start(FloeConfig.load(environment))) {
      String prefix = prefix(floe);
      assertThat(get(floe, "/v1/" + prefix + "/namespaces/kept").statusCode()).isEqualTo(200);

      stopPostgres(data.resolve("postgres"));
      HttpResponse<String> response = get(floe, "/v1/" + prefix + "/namespaces/kept");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(response.body()).contains("\"type\":\"ServiceUnavailableException\"").doesNotContain("SQL");
      assertThat(get(floe, "/health/ready").statusCode()).isEqualTo(503);
      assertThat(get(floe, "/health").statusCode()).isEqualTo(200);
    }
  }

  private static void stopPostgres(Path pgdata) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    // SIGINT: PostgreSQL's fast shutdown
    new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
    postmaster.onExit().get(30, TimeUnit.SECONDS);
  }

  private String prefix(Floe floe) throws Exception {
    String body = get(floe, "/v1/config?warehouse=demo").body();
    int start = body.indexOf("\"prefix\":\"") + "\"prefix\":\"".length();
    return body.substring(start, body.indexOf('"', start));
  }

  private HttpResponse<String> get(Floe floe, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + floe.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Floe floe, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + floe.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
