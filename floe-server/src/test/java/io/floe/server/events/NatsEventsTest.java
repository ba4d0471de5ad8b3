package io.floe.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.Brokers;
import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events reach a real NATS JetStream: one per change, in order per table; a broker that is down
 * delays them and loses none; a server killed after its commits and before delivering them
 * delivers them once it runs again; two servers on one database deliver each event.
 */
class NatsEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static Brokers.Nats nats;

  @BeforeAll
  static void startNats() throws Exception {
    nats = new Brokers.Nats(Files.createTempDirectory("floe-nats"));
    nats.start();
  }

  @AfterAll
  static void stopNats() throws Exception {
    nats.close();
  }

  @Test
  void eachChangeArrivesOnceWithItsContent() throws Exception {
    try (TestServer server = TestServer.start(Map.of("FLOE_EVENTS_NATS_URL", nats.url()))) {
      String prefix = server.demoPrefix();
      ok(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"n1\"]}"));
      ok(server.post("/v1/" + prefix + "/namespaces/n1/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}"));
      for (int i = 0; i < 3; i++) {
        ok(server.post("/v1/" + prefix + "/namespaces/n1/tables/t", setProperty("k", Integer.toString(i))));
      }
      ok(server.delete("/v1/" + prefix + "/namespaces/n1/tables/t"));
      List<JsonNode> events = consume("floe." + prefix + ".>", 7, Duration.ofSeconds(20));
      assertThat(events.stream().map(e -> e.path("type").asText()).toList())
          .containsExactly(
              "io.floe.warehouse.created", // the demo warehouse, made at start
              "io.floe.namespace.created", "io.floe.table.created", "io.floe.table.committed", "io.floe.table.committed",
              "io.floe.table.committed", "io.floe.table.dropped");
      assertThat(events.stream().map(e -> e.path("id").asText()).distinct()).hasSize(7);
      assertThat(events.get(3).path("data").path("updates").get(0).path("updates").path("k").asText()).isEqualTo("0");
      // nothing more comes: exactly one per change
      assertThat(consume("floe." + prefix + ".>", 8, Duration.ofSeconds(2))).hasSize(7);
    }
  }

  @Test
  void aBrokerThatIsDownDelaysEventsAndLosesNone() throws Exception {
    try (TestServer server = TestServer.start(Map.of("FLOE_EVENTS_NATS_URL", nats.url()))) {
      String prefix = server.demoPrefix();
      ok(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"down\"]}"));
      for (int t = 0; t < 4; t++) {
        ok(server.post("/v1/" + prefix + "/namespaces/down/tables", "{\"name\":\"t" + t + "\",\"schema\":" + SCHEMA + "}"));
      }
      assertThat(consume("floe." + prefix + ".>", 6, Duration.ofSeconds(20))).hasSize(6);
      nats.stop();
      for (int i = 0; i < 100; i++) {
        ok(server.post("/v1/" + prefix + "/namespaces/down/tables/t" + (i % 4), setProperty("i", Integer.toString(i))));
      }
      Thread.sleep(1000); // delivery tries and fails meanwhile
      nats.start();
      List<JsonNode> events = consume("floe." + prefix + ".table.committed", 100, Duration.ofSeconds(60));
      assertThat(events).hasSize(100);
      assertInOrderPerTable(events, 25);
    }
  }

  @Test
  void aServerKilledBeforeDeliveringDeliversWhenItRunsAgain() throws Exception {
    Path data = Files.createTempDirectory("floe-killed");
    String database = TestDatabase.create();
    nats.stop();
    Child first = Child.start(database, data, nats.url());
    String prefix;
    try {
      prefix = first.demoPrefix();
      first.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"killed\"]}");
      first.post("/v1/" + prefix + "/namespaces/killed/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}");
      for (int i = 0; i < 20; i++) {
        first.post("/v1/" + prefix + "/namespaces/killed/tables/t", setProperty("i", Integer.toString(i)));
      }
    } finally {
      first.kill(); // SIGKILL: no shutdown of any kind
    }
    nats.start();
    Child second = Child.start(database, data, nats.url());
    try {
      List<JsonNode> events = consume("floe." + prefix + ".>", 23, Duration.ofSeconds(60));
      assertThat(events).hasSize(23);
      assertThat(events.get(1).path("type").asText()).isEqualTo("io.floe.namespace.created");
      assertInOrderPerTable(events.subList(3, 23), 20);
    } finally {
      second.kill();
    }
  }

  @Test
  void twoServersOnOneDatabaseDeliverEveryEvent() throws Exception {
    try (TestServer one = TestServer.start(Map.of("FLOE_EVENTS_NATS_URL", nats.url()));
        TestServer two =
            TestServer.start(Map.of("FLOE_EVENTS_NATS_URL", nats.url(), "FLOE_DATABASE_URL", one.databaseUrl()))) {
      String prefix = one.demoPrefix();
      ok(one.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"two\"]}"));
      ok(one.post("/v1/" + prefix + "/namespaces/two/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}"));
      for (int i = 0; i < 40; i++) {
        TestServer server = i % 2 == 0 ? one : two;
        ok(server.post("/v1/" + prefix + "/namespaces/two/tables/t", setProperty("i", Integer.toString(i))));
      }
      List<JsonNode> events = consume("floe." + prefix + ".table.committed", 40, Duration.ofSeconds(30));
      assertThat(events).hasSize(40);
      assertInOrderPerTable(events, 40);
    }
  }

  /** Each table's commits arrive in the order they were made: each one's base is the one before. */
  private static void assertInOrderPerTable(List<JsonNode> commits, int perTable) {
    Map<String, List<JsonNode>> byTable = new LinkedHashMap<>();
    for (JsonNode event : commits) {
      byTable.computeIfAbsent(event.path("floeobject").asText(), k -> new ArrayList<>()).add(event);
    }
    for (List<JsonNode> events : byTable.values()) {
      assertThat(events).hasSize(perTable);
      for (int i = 1; i < events.size(); i++) {
        assertThat(events.get(i).path("data").path("previous-metadata-location").asText())
            .isEqualTo(events.get(i - 1).path("data").path("metadata-location").asText());
      }
    }
  }

  /** The distinct events on {@code subject} in the stream, from its start, up to {@code count}. */
  private static List<JsonNode> consume(String subject, int count, Duration timeout) throws Exception {
    try (Connection connection = Nats.connect(nats.url())) {
      JetStream js = connection.jetStream();
      long deadline = System.nanoTime() + timeout.toNanos();
      JetStreamSubscription subscription = null;
      while (subscription == null) {
        try {
          subscription = js.subscribe(subject, PushSubscribeOptions.builder().ordered(true).build());
        } catch (IllegalStateException e) {
          // Floe creates the stream when it first publishes: until then there is none to read
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
      List<JsonNode> events = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      while (events.size() < count && System.nanoTime() < deadline) {
        Message message = subscription.nextMessage(Duration.ofMillis(200));
        if (message != null) {
          JsonNode event = JSON.readTree(message.getData());
          assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(event.path("id").asText());
          if (seen.add(event.path("id").asText())) {
            events.add(event);
          }
        }
      }
      subscription.unsubscribe();
      return events;
    }
  }

  private static String setProperty(String key, String value) {
    return "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"" + key + "\":\"" + value + "\"}}]}";
  }

  private static void ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
  }

  /** Floe in a process of its own, to be killed. */
  private record Child(Process process, int port, Path log) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Child start(String database, Path data, String natsUrl) throws Exception {
      int port;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = Files.createTempFile(data, "floe", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                  System.getProperty("java.class.path"), "io.floe.server.Main", "serve")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      environment.put("FLOE_PORT", Integer.toString(port));
      environment.put("FLOE_DATABASE_URL", database);
      environment.put("FLOE_DATA_DIR", data.toString());
      environment.put("FLOE_EVENTS_NATS_URL", natsUrl);
      Child child = new Child(builder.start(), port, log);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          if (child.send("GET", "/health/ready", null).statusCode() == 200) {
            return child;
          }
        } catch (ConnectException e) {
          // not listening yet
        }
        if (!child.process.isAlive()) {
          throw new AssertionError("Floe exited: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
      child.kill();
      throw new AssertionError("Floe did not get ready: " + Files.readString(log));
    }

    String demoPrefix() throws Exception {
      JsonNode config = JSON.readTree(send("GET", "/v1/config?warehouse=demo", null).body());
      return config.path("overrides").path("prefix").asText();
    }

    void post(String path, String body) throws Exception {
      HttpResponse<String> response = send("POST", path, body);
      assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("Content-Type", "application/json")
              .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
