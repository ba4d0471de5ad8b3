package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.FaultProxy;
import io.floe.store.postgres.testing.FaultProxy.CommitFault;
import io.floe.store.postgres.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commits whose database connection fails at {@code COMMIT}, through a real TCP proxy: the answer
 * tells the truth, and a metadata file that may be current is never deleted.
 */
class CommitFaultTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static FaultProxy proxy;
  private static TestServer server;
  private static String prefix;
  private String namespace;

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabase.create();
    proxy = FaultProxy.forJdbcUrl(url);
    // a lost answer is looked into for two connection timeouts
    server =
        TestServer.start(
            Map.of("FLOE_DATABASE_URL", proxy.route(url), "FLOE_DATABASE_CONNECT_TIMEOUT_SECONDS", "1"));
    prefix = "/v1/" + server.demoPrefix();
  }

  @AfterAll
  static void stop() {
    server.close();
    proxy.close();
  }

  @BeforeEach
  void createNamespace() {
    namespace = "faults_" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(server.post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}").statusCode())
        .isEqualTo(200);
  }

  /** Ends any outage and waits until the server has working connections again. */
  @AfterEach
  void heal() throws Exception {
    proxy.refuse(false);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.get(prefix + "/namespaces").statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @Test
  void aCommitWhoseAnswerIsLostButLandedIsAcknowledgedAndKeepsItsFile() throws Exception {
    createTable("landed");
    long cut = proxy.commitsCut();
    proxy.failNextCommits(CommitFault.LOSE_ANSWER, 1);
    HttpResponse<String> response = setProperty("landed", "k", "v");
    assertThat(proxy.commitsCut()).isEqualTo(cut + 1);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String acknowledged = JSON.readTree(response.body()).get("metadata-location").asText();
    JsonNode loaded = load("landed");
    assertThat(loaded.get("metadata-location").asText()).isEqualTo(acknowledged);
    assertThat(loaded.at("/metadata/properties/k").asText()).isEqualTo("v");
    assertThat(Files.exists(Path.of(URI.create(acknowledged)))).isTrue();
  }

  @Test
  void aCommitCutBeforeCommitIsRetriedAndAppliedOnce() throws Exception {
    createTable("retried");
    int before = load("retried").at("/metadata/metadata-log").size();
    long cut = proxy.commitsCut();
    proxy.failNextCommits(CommitFault.DROP_BEFORE, 1);
    HttpResponse<String> response = setProperty("retried", "k", "v");
    assertThat(proxy.commitsCut()).isEqualTo(cut + 1);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode loaded = load("retried");
    assertThat(loaded.at("/metadata/metadata-log").size()).isEqualTo(before + 1);
    assertThat(Files.exists(Path.of(URI.create(loaded.get("metadata-location").asText())))).isTrue();
  }

  @Test
  void aCommitWhoseOutcomeStaysUnknownIsReportedSoAndItsFileKept() throws Exception {
    createTable("unknown");
    double unknownBefore = unknownCommits();
    proxy.failNextCommits(CommitFault.LOSE_ANSWER_THEN_DOWN, 1);
    HttpResponse<String> response = setProperty("unknown", "k", "v");
    proxy.refuse(false);
    // the outcome operators alert on is counted
    assertThat(unknownCommits()).isEqualTo(unknownBefore + 1);
    // every Iceberg client reads 500 on a commit as "commit state unknown", and none reads it as a failure
    assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
    assertThat(JSON.readTree(response.body()).at("/error/type").asText()).isEqualTo("CommitStateUnknownException");
    // COMMIT reached the server: the table names the new file, and the file is there
    JsonNode loaded = awaitLoad("unknown");
    assertThat(loaded.at("/metadata/properties/k").asText()).isEqualTo("v");
    assertThat(Files.exists(Path.of(URI.create(loaded.get("metadata-location").asText())))).isTrue();
  }

  private static double unknownCommits() {
    String series = "floe_commits_total{outcome=\"unknown\"} ";
    return server.get("/metrics").body().lines().filter(line -> line.startsWith(series))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim())).sum();
  }

  @Test
  void aRetryOfACommitWhoseOutcomeWasUnknownIsAnsweredNotRunAgain() throws Exception {
    createTable("retry");
    int before = load("retry").at("/metadata/metadata-log").size();
    String key = UUID.randomUUID().toString();
    String commit = "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}";
    // the first COMMIT claims the key; the second is the change's
    proxy.failNextCommits(CommitFault.LOSE_ANSWER_THEN_DOWN, 1, 1);
    HttpResponse<String> first = postWithKey("/namespaces/" + namespace + "/tables/retry", commit, key);
    proxy.refuse(false);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(500);
    HttpResponse<String> retry = first;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      retry = postWithKey("/namespaces/" + namespace + "/tables/retry", commit, key);
      if (retry.statusCode() == 200) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    // applied exactly once
    assertThat(load("retry").at("/metadata/metadata-log").size()).isEqualTo(before + 1);
  }

  private HttpResponse<String> postWithKey(String path, String body, String key) {
    return server.send(
        java.net.http.HttpRequest.newBuilder(URI.create(server.uri(prefix + path)))
            .header("Idempotency-Key", key)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  @Test
  void aCreateWhoseAnswerIsLostStillCreates() throws Exception {
    proxy.failNextCommits(CommitFault.LOSE_ANSWER, 1);
    HttpResponse<String> response =
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"made\",\"schema\":" + SCHEMA + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode loaded = load("made");
    assertThat(Files.exists(Path.of(URI.create(loaded.get("metadata-location").asText())))).isTrue();
  }

  @Test
  void aViewCommitWhoseAnswerIsLostIsAcknowledgedAndKeepsItsFile() throws Exception {
    String view =
        "{\"name\":\"v\",\"schema\":" + SCHEMA + ",\"view-version\":{\"version-id\":1,\"timestamp-ms\":1,"
            + "\"schema-id\":0,\"summary\":{},\"default-namespace\":[\"" + namespace + "\"],"
            + "\"representations\":[{\"type\":\"sql\",\"sql\":\"select 1\",\"dialect\":\"spark\"}]},\"properties\":{}}";
    assertThat(server.post(prefix + "/namespaces/" + namespace + "/views", view).statusCode()).isEqualTo(200);
    proxy.failNextCommits(CommitFault.LOSE_ANSWER, 1);
    HttpResponse<String> response =
        server.post(
            prefix + "/namespaces/" + namespace + "/views/v",
            "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String acknowledged = JSON.readTree(response.body()).get("metadata-location").asText();
    JsonNode loaded = JSON.readTree(server.get(prefix + "/namespaces/" + namespace + "/views/v").body());
    assertThat(loaded.get("metadata-location").asText()).isEqualTo(acknowledged);
    assertThat(Files.exists(Path.of(URI.create(acknowledged)))).isTrue();
  }

  @Test
  void aTransactionWhoseAnswerIsLostChangesEveryTable() throws Exception {
    createTable("one");
    createTable("two");
    proxy.failNextCommits(CommitFault.LOSE_ANSWER, 1);
    String change =
        "{\"identifier\":{\"namespace\":[\"" + namespace + "\"],\"name\":\"%s\"},\"requirements\":[],"
            + "\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}";
    HttpResponse<String> response =
        server.post(
            prefix + "/transactions/commit",
            "{\"table-changes\":[" + change.formatted("one") + "," + change.formatted("two") + "]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    for (String table : new String[] {"one", "two"}) {
      JsonNode loaded = load(table);
      assertThat(loaded.at("/metadata/properties/k").asText()).isEqualTo("v");
      assertThat(Files.exists(Path.of(URI.create(loaded.get("metadata-location").asText())))).isTrue();
    }
  }

  private void createTable(String name) {
    HttpResponse<String> created =
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"" + name + "\",\"schema\":" + SCHEMA + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
  }

  private HttpResponse<String> setProperty(String table, String key, String value) {
    return server.post(
        prefix + "/namespaces/" + namespace + "/tables/" + table,
        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"" + key + "\":\"" + value + "\"}}]}");
  }

  private JsonNode load(String table) throws Exception {
    HttpResponse<String> response = server.get(prefix + "/namespaces/" + namespace + "/tables/" + table);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Loads once the server has its database back. */
  private JsonNode awaitLoad(String table) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      HttpResponse<String> response = server.get(prefix + "/namespaces/" + namespace + "/tables/" + table);
      if (response.statusCode() == 200 || System.nanoTime() > deadline) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
      }
      Thread.sleep(100);
    }
  }
}
