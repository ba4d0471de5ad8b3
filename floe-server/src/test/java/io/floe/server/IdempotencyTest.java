package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
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

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(Map.of());
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
