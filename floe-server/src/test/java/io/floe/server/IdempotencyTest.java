package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A retried mutation carrying the same Idempotency-Key gets the first answer and runs once. */
class IdempotencyTest {
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static TestServer server;
  private static String prefix;

  private static String databaseUrl;

  @BeforeAll
  static void startServer() throws Exception {
    databaseUrl = TestDatabase.create();
    server = TestServer.start(Map.of("FLOE_DATABASE_URL", databaseUrl));
    prefix = "/v1/" + server.demoPrefix();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void advertisesTheKeyLifetime() {
    assertThat(server.get("/v1/config?warehouse=demo").body()).contains("\"idempotency-key-lifetime\":\"PT30M\"");
  }

  @Test
  void replaysCreatesCommitsAndDrops() {
    String namespace = "idem_" + UUID.randomUUID().toString().substring(0, 8);
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first = post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}", key);
    HttpResponse<String> retry = post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}", key);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");

    String createKey = UUID.randomUUID().toString();
    String create = "{\"name\":\"t\",\"schema\":" + SCHEMA + "}";
    HttpResponse<String> created = post(prefix + "/namespaces/" + namespace + "/tables", create, createKey);
    HttpResponse<String> createdAgain = post(prefix + "/namespaces/" + namespace + "/tables", create, createKey);
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(createdAgain.body()).isEqualTo(created.body());

    String commitKey = UUID.randomUUID().toString();
    String commit = "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"n\":\"1\"}}]}";
    HttpResponse<String> committed = post(prefix + "/namespaces/" + namespace + "/tables/t", commit, commitKey);
    HttpResponse<String> committedAgain = post(prefix + "/namespaces/" + namespace + "/tables/t", commit, commitKey);
    assertThat(committed.statusCode()).isEqualTo(200);
    assertThat(committedAgain.body()).isEqualTo(committed.body());
    String loaded = server.get(prefix + "/namespaces/" + namespace + "/tables/t").body();
    assertThat(loaded).contains("\"metadata-log\":[{").doesNotContain("00002-");

    String dropKey = UUID.randomUUID().toString();
    assertThat(delete(prefix + "/namespaces/" + namespace + "/tables/t", dropKey).statusCode()).isEqualTo(204);
    assertThat(delete(prefix + "/namespaces/" + namespace + "/tables/t", dropKey).statusCode()).isEqualTo(204);
    assertThat(delete(prefix + "/namespaces/" + namespace + "/tables/t", UUID.randomUUID().toString()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void replaysDeterministicClientErrors() {
    String namespace = "idem_" + UUID.randomUUID().toString().substring(0, 8);
    server.post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}");
    String key = UUID.randomUUID().toString();
    assertThat(post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}", key).statusCode()).isEqualTo(409);
    server.delete(prefix + "/namespaces/" + namespace);
    assertThat(post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}", key).statusCode()).isEqualTo(409);
    assertThat(server.head(prefix + "/namespaces/" + namespace).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesMisusedKeys() {
    String key = UUID.randomUUID().toString();
    post(prefix + "/namespaces", "{\"namespace\":[\"idem_" + UUID.randomUUID().toString().substring(0, 8) + "\"]}", key);
    HttpResponse<String> reused = delete(prefix + "/namespaces/other", key);
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.body()).contains("UnprocessableEntityException");
    HttpResponse<String> invalid = post(prefix + "/namespaces", "{\"namespace\":[\"x\"]}", "not-a-uuid");
    assertThat(invalid.statusCode()).isEqualTo(400);
  }

  @Test
  void theSameKeyWithAnotherBodyIs422AndChangesNothing() {
    String namespace = "idem_" + UUID.randomUUID().toString().substring(0, 8);
    String key = UUID.randomUUID().toString();
    assertThat(post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}", key).statusCode()).isEqualTo(200);
    HttpResponse<String> other = post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "_2\"]}", key);
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.body()).contains("UnprocessableEntityException");
    assertThat(server.head(prefix + "/namespaces/" + namespace + "_2").statusCode()).isEqualTo(404);
  }

  @Test
  void aDuplicateOfARunningRequestIsAskedToComeBackNotToldItFailed() throws Exception {
    String key = UUID.randomUUID().toString();
    String namespace = "idem_" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"namespace\":[\"" + namespace + "\"]}";
    // another server holds the claim and is still running the request
    claimedElsewhere(key, body, "0 seconds");
    HttpResponse<String> duplicate = post(prefix + "/namespaces", body, key);
    assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(503);
    assertThat(duplicate.body()).contains("ServiceUnavailableException").contains("still running");
    assertThat(duplicate.headers().firstValue("Retry-After")).isPresent();
    assertThat(server.head(prefix + "/namespaces/" + namespace).statusCode()).isEqualTo(404);
  }

  @Test
  void aClaimStrandedBeforeItsChangeIsTakenOverByTheRetry() throws Exception {
    String key = UUID.randomUUID().toString();
    String namespace = "idem_" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"namespace\":[\"" + namespace + "\"]}";
    // its server died before the change: claimed a minute ago, never applied
    claimedElsewhere(key, body, "1 minute");
    HttpResponse<String> retry = post(prefix + "/namespaces", body, key);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(server.head(prefix + "/namespaces/" + namespace).statusCode()).isEqualTo(204);
  }

  @Test
  void aChangeAppliedWhoseResponseWasLostIsAnsweredFromTheCatalogNotRunAgain() throws Exception {
    String namespace = "idem_" + UUID.randomUUID().toString().substring(0, 8);
    server.post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}");
    server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}");
    String key = UUID.randomUUID().toString();
    String commit = "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"n\":\"1\"}}]}";
    HttpResponse<String> first = post(prefix + "/namespaces/" + namespace + "/tables/t", commit, key);
    assertThat(first.statusCode()).isEqualTo(200);
    // the change's own transaction marked the key; no credentials or body are stored for it
    assertThat(sql("select applied::text || '/' || coalesce(body, 'null') from idempotency_key where key = '" + key + "'"))
        .isEqualTo("true/null");
    // as if the server had died between the commit and recording the response
    sql("update idempotency_key set status = null, finished_at = null where key = '" + key + "'");
    HttpResponse<String> retry = post(prefix + "/namespaces/" + namespace + "/tables/t", commit, key);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).contains("\"n\":\"1\"");
    String loaded = server.get(prefix + "/namespaces/" + namespace + "/tables/t").body();
    assertThat(loaded).contains("00001-").doesNotContain("00002-");
  }

  /** A claim on the key for creating a namespace with this body, made that long ago by another server. */
  private static void claimedElsewhere(String key, String body, String ago) throws Exception {
    sql("insert into idempotency_key (key, request, token, claimed_at) values ('" + key + "', '"
        + fingerprint("POST", prefix + "/namespaces", body) + "', gen_random_uuid(), now() - interval '" + ago + "')");
  }

  /** The server's fingerprint of a request: method, path, the body's and the caller's SHA-256. */
  private static String fingerprint(String method, String path, String body) throws Exception {
    return method + " " + path + " " + sha256(body) + " " + sha256("anonymous");
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Runs one statement on the server's database; returns the first column of the first row, if any. */
  private static String sql(String statement) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(databaseUrl);
        java.sql.Statement s = c.createStatement()) {
      if (!s.execute(statement)) {
        return null;
      }
      try (java.sql.ResultSet rs = s.getResultSet()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static HttpResponse<String> post(String path, String body, String key) {
    return server.send(
        HttpRequest.newBuilder(URI.create(server.uri(path)))
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> delete(String path, String key) {
    return server.send(HttpRequest.newBuilder(URI.create(server.uri(path))).header("Idempotency-Key", key).DELETE().build());
  }
}
