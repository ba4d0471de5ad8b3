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
