package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each class of bad request gets a 4xx with an Iceberg error model, and changes nothing. */
class BadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static TestServer server;
  private static String prefix;
  private String namespace;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(Map.of("FLOE_MAX_REQUEST_BODY_BYTES", "65536"));
    prefix = "/v1/" + server.demoPrefix();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void createNamespace() {
    namespace = "ns_" + UUID.randomUUID().toString().replace("-", "");
    assertThat(server.post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void malformedJsonIsBadRequest() {
    assertError(server.post(prefix + "/namespaces", "{\"namespace\": [\"x\""), 400, "BadRequestException");
    assertError(server.post(prefix + "/namespaces", "not json at all"), 400, "BadRequestException");
    assertError(server.post(prefix + "/namespaces", ""), 400, "BadRequestException");
    assertError(server.post(prefix + "/namespaces", "null"), 400, "BadRequestException");
  }

  @Test
  void knownFieldsWithWrongTypesAreBadRequest() {
    assertError(server.post(prefix + "/namespaces", "{\"namespace\":\"x\"}"), 400, "BadRequestException");
    assertError(server.post(prefix + "/namespaces", "{\"namespace\":[\"x\"],\"properties\":[1]}"), 400, "BadRequestException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":7,\"schema\":" + SCHEMA + "}"),
        400,
        "BadRequestException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"t\",\"schema\":{\"type\":\"struct\"}}"),
        400,
        "BadRequestException");
  }

  @Test
  void unknownFieldsAreIgnored() {
    HttpResponse<String> response =
        server.post(prefix + "/namespaces", "{\"namespace\":[\"extra_" + UUID.randomUUID().toString().substring(0, 8) + "\"],\"future-field\":{\"a\":1}}");
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void bodiesOverTheLimitAreRefusedWith413() {
    String big = "{\"namespace\":[\"big\"],\"properties\":{\"k\":\"" + "x".repeat(70_000) + "\"}}";
    assertError(server.post(prefix + "/namespaces", big), 413, "PayloadTooLargeException");
    assertThat(server.head(prefix + "/namespaces/big").statusCode()).isEqualTo(404);
  }

  @Test
  void badNamesAreRefused() {
    assertError(server.post(prefix + "/namespaces", "{\"namespace\":[\"\"]}"), 400, "BadRequestException");
    assertError(server.post(prefix + "/namespaces", "{\"namespace\":[\"a\\u0001b\"]}"), 400, "BadRequestException");
    assertError(server.post(prefix + "/namespaces", "{\"namespace\":[\"..\"]}"), 400, "BadRequestException");
    assertError(server.post(prefix + "/namespaces", "{\"namespace\":[]}"), 400, "BadRequestException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"..\",\"schema\":" + SCHEMA + "}"),
        400,
        "BadRequestException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"a\\nb\",\"schema\":" + SCHEMA + "}"),
        400,
        "BadRequestException");
  }

  @Test
  void locationsOutsideTheWarehouseAreRefusedAndNothingIsWritten() throws Exception {
    Path outside = Path.of("/var/floe-not-allowed-" + UUID.randomUUID());
    HttpResponse<String> response =
        server.post(
            prefix + "/namespaces/" + namespace + "/tables",
            "{\"name\":\"t\",\"location\":\"" + outside + "\",\"schema\":" + SCHEMA + "}");
    assertError(response, 400, "BadRequestException");
    assertThat(body(response).path("error").path("message").asText()).contains("outside the warehouse's allowed locations");
    assertThat(Files.exists(outside)).isFalse();
    assertThat(server.head(prefix + "/namespaces/" + namespace + "/tables/t").statusCode()).isEqualTo(404);

    assertError(
        server.post(
            prefix + "/namespaces/" + namespace + "/tables",
            "{\"name\":\"t\",\"schema\":" + SCHEMA + ",\"properties\":{\"write.data.path\":\"/etc/floe\"}}"),
        400,
        "BadRequestException");
    assertError(
        server.post(
            prefix + "/namespaces/" + namespace + "/tables",
            "{\"name\":\"t\",\"location\":\"/tmp/../etc/x\",\"schema\":" + SCHEMA + "}"),
        400,
        "BadRequestException");
    assertThat(server.head(prefix + "/namespaces/" + namespace + "/tables/t").statusCode()).isEqualTo(404);
  }

  @Test
  void setLocationOutsideTheWarehouseIsRefusedOnCommit() {
    createTable("t");
    String commit =
        "{\"requirements\":[],\"updates\":[{\"action\":\"set-location\",\"location\":\"/etc/elsewhere\"}]}";
    assertError(server.post(prefix + "/namespaces/" + namespace + "/tables/t", commit), 400, "BadRequestException");
    String load = server.get(prefix + "/namespaces/" + namespace + "/tables/t").body();
    assertThat(load).doesNotContain("/etc/elsewhere");
  }

  @Test
  void missingThingsAre404WithTheirType() {
    assertError(server.get("/v1/" + UUID.randomUUID() + "/namespaces"), 404, "NoSuchWarehouseException");
    assertError(server.get("/v1/not-a-uuid/namespaces"), 404, "NoSuchWarehouseException");
    assertError(server.get(prefix + "/namespaces/missing"), 404, "NoSuchNamespaceException");
    assertError(server.get(prefix + "/namespaces/" + namespace + "/tables/missing"), 404, "NoSuchTableException");
    assertError(server.get(prefix + "/namespaces/" + namespace + "/views/missing"), 404, "NoSuchViewException");
    assertError(server.get(prefix + "/namespaces/missing/tables"), 404, "NoSuchNamespaceException");
    assertError(server.get("/v1/config?warehouse=missing"), 404, "NoSuchWarehouseException");
    assertError(server.get("/v2/nothing/here"), 404, "NoSuchResourceException");
  }

  @Test
  void otherProtocolErrors() {
    assertError(server.get("/v1/config"), 400, "BadRequestException");
    assertError(server.delete("/v1/config"), 405, "MethodNotAllowedException");
    assertError(server.get(prefix + "/namespaces?pageSize=abc"), 400, "BadRequestException");
    assertError(server.get(prefix + "/namespaces?pageSize=0"), 400, "BadRequestException");
    assertError(server.get(prefix + "/namespaces?pageToken=%25%25%25"), 400, "BadRequestException");
    createTable("t");
    assertError(server.get(prefix + "/namespaces/" + namespace + "/tables/t?snapshots=some"), 400, "BadRequestException");
  }

  @Test
  void conflictsAre409() {
    createTable("t");
    assertError(server.delete(prefix + "/namespaces/" + namespace), 409, "NamespaceNotEmptyException");
    assertError(server.post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}"), 409, "AlreadyExistsException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}"),
        409,
        "AlreadyExistsException");
    String wrongUuid =
        "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + UUID.randomUUID()
            + "\"}],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"a\":\"b\"}}]}";
    HttpResponse<String> response = server.post(prefix + "/namespaces/" + namespace + "/tables/t", wrongUuid);
    assertError(response, 409, "CommitFailedException");
    assertThat(body(response).path("error").path("message").asText()).startsWith("Requirement failed: UUID does not match");
  }

  @Test
  void invalidUpdatesAreBadRequestAndLeaveTheTableAsItWas() {
    String created = createTable("t");
    String commit = "{\"requirements\":[],\"updates\":[{\"action\":\"set-current-schema\",\"schema-id\":42}]}";
    assertError(server.post(prefix + "/namespaces/" + namespace + "/tables/t", commit), 400, "IllegalArgumentException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables/t", "{\"requirements\":[],\"updates\":[{\"action\":\"no-such-action\"}]}"),
        400,
        "BadRequestException");
    JsonNode after = body(server.get(prefix + "/namespaces/" + namespace + "/tables/t"));
    assertThat(after.path("metadata-location").asText()).isEqualTo(body(created).path("metadata-location").asText());
  }

  @Test
  void pageSizesBeyondAnyLimitGetAPageNotAnError() throws Exception {
    HttpResponse<String> huge = server.get(prefix + "/namespaces?pageSize=2147483647");
    assertThat(huge.statusCode()).as(huge.body()).isEqualTo(200);
    assertThat(server.get(prefix + "/namespaces/" + namespace + "/tables?pageSize=2147483647").statusCode()).isEqualTo(200);
    assertThat(server.get(prefix + "/namespaces/" + namespace + "/views?pageSize=2147483647").statusCode()).isEqualTo(200);
    assertError(server.get(prefix + "/namespaces?pageSize=99999999999"), 400, "BadRequestException");
    assertError(server.get(prefix + "/namespaces?pageSize=-1"), 400, "BadRequestException");
    // a page token that decodes to a NUL character
    assertError(server.get(prefix + "/namespaces?pageToken=AA"), 400, "BadRequestException");
  }

  @Test
  void nulCharactersAreRefusedWherePostgresCannotStoreThem() throws Exception {
    assertError(
        server.post(prefix + "/namespaces", "{\"namespace\":[\"nul_" + UUID.randomUUID().toString().substring(0, 8)
            + "\"],\"properties\":{\"k\\u0000\":\"v\"}}"),
        400, "BadRequestException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/properties", "{\"updates\":{\"k\":\"v\\u0000\"}}"),
        400, "BadRequestException");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables",
            "{\"name\":\"t\",\"schema\":" + SCHEMA + ",\"properties\":{\"k\":\"\\u0000\"}}"),
        400, "BadRequestException");
    createTable("t");
    assertError(
        server.post(prefix + "/namespaces/" + namespace + "/tables/t",
            "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"a\":\"b\\u0000\"}}]}"),
        400, "BadRequestException");
    // on connections of their own: a server may close a connection after refusing its request
    for (String path : new String[] {prefix + "/namespaces/a%00b", prefix + "/namespaces/" + namespace + "/tables/t%00"}) {
      String response = rawRequest("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.1 400");
      assertJsonError(response, 400);
    }
    // an escaped backslash followed by "u0000" is ordinary text
    assertThat(
            server.post(prefix + "/namespaces/" + namespace + "/properties", "{\"updates\":{\"k\":\"\\\\u0000\"}}")
                .statusCode())
        .isEqualTo(200);
    assertThat(body(server.get(prefix + "/namespaces/" + namespace)).path("properties").path("k").asText())
        .isEqualTo("\\u0000");
  }

  @Test
  void aStagedCreateCommittedWithRequirementsOfAnExistingTableIsAConflict() {
    String staged =
        "{\"name\":\"staged\",\"schema\":" + SCHEMA + ",\"stage-create\":true}";
    assertThat(server.post(prefix + "/namespaces/" + namespace + "/tables", staged).statusCode()).isEqualTo(200);
    for (String requirement :
        new String[] {
          "{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":1}",
          "{\"type\":\"assert-table-uuid\",\"uuid\":\"" + UUID.randomUUID() + "\"}",
          "{\"type\":\"assert-current-schema-id\",\"current-schema-id\":0}",
          "{\"type\":\"assert-last-assigned-field-id\",\"last-assigned-field-id\":1}",
          "{\"type\":\"assert-default-spec-id\",\"default-spec-id\":0}"
        }) {
      String commit =
          "{\"requirements\":[{\"type\":\"assert-create\"}," + requirement + "],\"updates\":["
              + "{\"action\":\"assign-uuid\",\"uuid\":\"" + UUID.randomUUID() + "\"},"
              + "{\"action\":\"add-schema\",\"schema\":" + SCHEMA + "},"
              + "{\"action\":\"set-current-schema\",\"schema-id\":-1}]}";
      assertError(server.post(prefix + "/namespaces/" + namespace + "/tables/staged", commit), 409, "CommitFailedException");
    }
    assertThat(server.head(prefix + "/namespaces/" + namespace + "/tables/staged").statusCode()).isEqualTo(404);
  }

  @Test
  void requestsJettyRefusesBeforeFloeStillGetAnIcebergErrorModel() throws Exception {
    String bigHeader = "x".repeat(20_000);
    String response = rawRequest("GET /v1/config?warehouse=demo HTTP/1.1\r\nHost: x\r\nX-Big: " + bigHeader + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 431");
    assertJsonError(response, 431);
    response = rawRequest("GET /v1/\u0001config HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400");
    assertJsonError(response, 400);
    response = rawRequest("GET /v1/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response).matches("(?s)HTTP/1.1 4\\d\\d.*");
    assertJsonError(response, Integer.parseInt(response.substring(9, 12)));
  }

  @Test
  void unknownMethodsAndPathsAreOneMetricsLabelEach() {
    for (String method : new String[] {"BREW", "WHEN", "FOO"}) {
      server.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.uri("/v1/config/" + method)))
              .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
              .build());
    }
    String metrics = server.get("/metrics").body();
    assertThat(metrics).doesNotContain("method=\"BREW\"").doesNotContain("method=\"FOO\"");
    assertThat(metrics).contains("method=\"OTHER\"");
    assertThat(metrics).doesNotContain("/v1/config/BREW");
  }

  @Test
  void droppingANamespaceWhileCreatingInItNeverAnswers5xx() throws Exception {
    java.util.List<Integer> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    for (int round = 0; round < 20; round++) {
      String racing = "race_" + round + "_" + UUID.randomUUID().toString().substring(0, 6);
      assertThat(server.post(prefix + "/namespaces", "{\"namespace\":[\"" + racing + "\"]}").statusCode()).isEqualTo(200);
      Thread create =
          Thread.ofVirtual().start(() -> statuses.add(
              server.post(prefix + "/namespaces/" + racing + "/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}").statusCode()));
      Thread child =
          Thread.ofVirtual().start(() -> statuses.add(
              server.post(prefix + "/namespaces", "{\"namespace\":[\"" + racing + "\",\"child\"]}").statusCode()));
      Thread drop = Thread.ofVirtual().start(() -> statuses.add(server.delete(prefix + "/namespaces/" + racing).statusCode()));
      create.join();
      child.join();
      drop.join();
      // never an orphan: a namespace that is gone holds nothing
      if (server.head(prefix + "/namespaces/" + racing).statusCode() == 404) {
        assertThat(server.head(prefix + "/namespaces/" + racing + "%1Fchild").statusCode()).isEqualTo(404);
        assertThat(server.head(prefix + "/namespaces/" + racing + "/tables/t").statusCode()).isEqualTo(404);
      }
    }
    assertThat(statuses).allMatch(status -> status < 500, "no 5xx: " + statuses);
  }

  private String rawRequest(String request) throws Exception {
    java.net.URI uri = java.net.URI.create(server.uri("/"));
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.net.SocketException e) {
      throw new AssertionError("connection reset without a response", e);
    }
  }

  private static void assertJsonError(String rawResponse, int status) {
    int bodyStart = rawResponse.indexOf("\r\n\r\n");
    assertThat(bodyStart).isPositive();
    String head = rawResponse.substring(0, bodyStart).toLowerCase(java.util.Locale.ROOT);
    assertThat(head).contains("content-type: application/json");
    String payload = rawResponse.substring(bodyStart + 4);
    if (head.contains("transfer-encoding: chunked")) {
      payload = payload.substring(payload.indexOf("\r\n") + 2);
      payload = payload.substring(0, payload.lastIndexOf('}') + 1);
    }
    JsonNode error = body(payload).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("type").asText()).isNotBlank();
    assertThat(error.path("message").asText()).isNotBlank();
  }

  private String createTable(String name) {
    HttpResponse<String> response =
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"" + name + "\",\"schema\":" + SCHEMA + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static JsonNode body(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("Not JSON: " + json, e);
    }
  }

  private static JsonNode body(HttpResponse<String> response) {
    return body(response.body());
  }

  private static void assertError(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = body(response).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("type").asText()).isEqualTo(type);
    assertThat(error.path("message").asText()).isNotBlank().doesNotContain("SQL").doesNotContain("\tat ");
  }
}
