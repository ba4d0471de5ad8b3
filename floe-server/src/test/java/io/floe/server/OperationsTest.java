package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.floe.server.config.Settings;
import io.floe.store.postgres.testing.TestDatabase;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process as operators run it: graceful stop, JSON logs, and the migrate and config commands. */
class OperationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aStopDrainsRequestsInFlightAfterReadinessTurnsOff(@TempDir Path data) throws Exception {
    // an approval webhook that holds the commit for 2 s, so that the stop finds it in flight
    CountDownLatch asked = new CountDownLatch(1);
    HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          asked.countDown();
          try {
            Thread.sleep(2000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "{\"approved\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    webhook.start();
    int port = freePort();
    Process floe =
        floe(data, Map.of(
                "FLOE_PORT", Integer.toString(port),
                "FLOE_SHUTDOWN_DELAY_SECONDS", "1",
                "FLOE_SHUTDOWN_TIMEOUT_SECONDS", "10",
                "FLOE_LOG_FORMAT", "json",
                // a line for every request, not only the notable ones
                "FLOE_LOG_LEVELS", "floe.request=debug"),
            "serve");
    try {
      awaitReady(floe, port, data.resolve("floe.log"));
      String prefix = JSON.readTree(send(port, "GET", "/v1/config?warehouse=demo", null, null).body())
          .path("overrides").path("prefix").asText();
      assertThat(send(port, "POST", "/v1/" + prefix + "/namespaces", "{\"namespace\":[\"ops\"]}", null).statusCode()).isEqualTo(200);
      assertThat(send(port, "POST", "/v1/" + prefix + "/namespaces/ops/tables",
              "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}",
              null).statusCode()).isEqualTo(200);
      assertThat(send(port, "PUT", "/management/v1/warehouses/" + prefix + "/approval-webhook",
              "{\"url\":\"http://127.0.0.1:" + webhook.getAddress().getPort() + "/\",\"timeout-ms\":5000}", null).statusCode())
          .isEqualTo(200);

      CompletableFuture<HttpResponse<String>> commit =
          CompletableFuture.supplyAsync(() -> {
            try {
              return send(port, "POST", "/v1/" + prefix + "/namespaces/ops/tables/t",
                  "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}", "ops-test-commit-1");
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          });
      assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
      floe.destroy(); // SIGTERM

      // readiness is off at once, while the server still answers
      List<Integer> readiness = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofMillis(700).toNanos();
      while (System.nanoTime() < until) {
        readiness.add(send(port, "GET", "/health/ready", null, null).statusCode());
        Thread.sleep(50);
      }
      assertThat(readiness).isNotEmpty().last().isEqualTo(503);

      // the commit in flight finishes, and is applied
      HttpResponse<String> committed = commit.get(20, TimeUnit.SECONDS);
      assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
      assertThat(committed.headers().firstValue("X-Request-ID")).contains("ops-test-commit-1");
      assertThat(JSON.readTree(committed.body()).path("metadata").path("properties").path("k").asText()).isEqualTo("v");
      assertThat(floe.waitFor(20, TimeUnit.SECONDS)).as("stopped within the drain timeout").isTrue();
      assertThat(freeToBind(port)).as("the port is closed").isTrue();

      // every line is a JSON object; the commit's lines carry its request id
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(data.resolve("floe.log"))) {
        if (line.startsWith("WARNING:")) {
          continue; // the JVM's own warnings, not Floe's log
        }
        lines.add(JSON.readTree(line));
      }
      assertThat(lines).anySatisfy(line -> {
        assertThat(line.path("mdc").path("request-id").asText()).isEqualTo("ops-test-commit-1");
        assertThat(line.path("formattedMessage").asText()).contains("status=200");
      });
      assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText()).isEqualTo("stopped"));
      assertThat(lines).allSatisfy(line -> assertThat(line.path("level").asText()).isNotEmpty());
    } finally {
      floe.destroyForcibly().waitFor();
      webhook.stop(0);
    }
  }

  @Test
  void migrateRunsApartFromServing(@TempDir Path data) throws Exception {
    String database = TestDatabase.create();
    Run first = run(data, Map.of("FLOE_DATABASE_URL", database), "migrate");
    assertThat(first.status()).as(first.output()).isZero();
    assertThat(first.output()).containsPattern("schema version \\d+: \\d+ migration\\(s\\) applied to an empty database");
    Run second = run(data, Map.of("FLOE_DATABASE_URL", database), "migrate");
    assertThat(second.status()).as(second.output()).isZero();
    assertThat(second.output()).containsPattern("schema version \\d+ is current");
    Run unreachable = run(data, Map.of("FLOE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none",
        "FLOE_DATABASE_CONNECT_TIMEOUT_SECONDS", "1"), "migrate");
    assertThat(unreachable.status()).isEqualTo(1);
    assertThat(unreachable.output()).contains("floe migrate:");
  }

  @Test
  void configCheckReportsErrorsAndTypos(@TempDir Path data) throws Exception {
    Run good = run(data, Map.of("FLOE_PORT", "9000", "FLOE_DATABSE_URL", "jdbc:postgresql://db/floe"), "config", "check");
    assertThat(good.status()).as(good.output()).isZero();
    assertThat(good.output()).contains("configuration is valid")
        .contains("FLOE_DATABSE_URL is not a Floe setting and is ignored");
    Run bad = run(data, Map.of("FLOE_PORT", "http"), "config", "check");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.output()).contains("FLOE_PORT must be an integer, got 'http'");
    Run badFormat = run(data, Map.of("FLOE_LOG_FORMAT", "xml"), "config", "check");
    assertThat(badFormat.status()).isEqualTo(2);
    assertThat(badFormat.output()).contains("FLOE_LOG_FORMAT must be text or json");
    Run reference = run(data, Map.of(), "config", "reference");
    assertThat(reference.status()).isZero();
    assertThat(reference.output()).isEqualTo(Settings.reference());
  }

  private record Run(int status, String output) {}

  private static Run run(Path data, Map<String, String> environment, String... command) throws Exception {
    Process process = floe(data, environment, command);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(data.resolve("floe.log")).lines()
        .filter(line -> !line.startsWith("WARNING:")).map(line -> line + "\n").reduce("", String::concat);
    return new Run(process.exitValue(), output);
  }

  private static Process floe(Path data, Map<String, String> environment, String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "io.floe.server.Main"));
    line.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(data.resolve("floe.log").toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("FLOE_"));
    builder.environment().put("FLOE_DATABASE_URL", TestDatabase.create());
    builder.environment().put("FLOE_DATA_DIR", data.toString());
    builder.environment().putAll(environment);
    return builder.start();
  }

  private static void awaitReady(Process process, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (send(port, "GET", "/health/ready", null, null).statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new AssertionError("Floe exited: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Floe did not get ready: " + Files.readString(log));
  }

  private static HttpResponse<String> send(int port, String method, String path, String body, String requestId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      request.header("X-Request-ID", requestId);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean freeToBind(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
