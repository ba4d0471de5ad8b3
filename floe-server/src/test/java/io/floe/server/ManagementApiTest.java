package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Projects and warehouses through the management API, and how clients find them. */
class ManagementApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(Map.of());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void withAuthenticationOffTheCallerIsAnonymousAndCannotBootstrap() throws Exception {
    JsonNode me = json(server.get("/management/v1/whoami"));
    assertThat(me.path("id").asText()).isEqualTo("anonymous");
    assertThat(me.path("kind").asText()).isEqualTo("anonymous");
    HttpResponse<String> bootstrap = server.post("/management/v1/bootstrap", "");
    assertThat(bootstrap.statusCode()).isEqualTo(400);
    assertThat(bootstrap.body()).contains("authentication is off");
  }

  @Test
  void managesProjectsAndWarehousesAndKeepsPrefixesAcrossRenames() throws Exception {
    HttpResponse<String> project = server.post("/management/v1/projects", "{\"name\":\"analytics\"}");
    assertThat(project.statusCode()).as(project.body()).isEqualTo(201);
    String projectId = json(project).path("id").asText();
    assertThat(server.post("/management/v1/projects", "{\"name\":\"analytics\"}").statusCode()).isEqualTo(409);
    assertThat(names(server.get("/management/v1/projects"), "projects")).contains("analytics", "default");
    assertThat(json(server.get("/management/v1/projects/" + projectId)).path("name").asText()).isEqualTo("analytics");

    String root = Files.createTempDirectory("floe-management").toString();
    HttpResponse<String> warehouse =
        server.post(
            "/management/v1/projects/analytics/warehouses",
            "{\"name\":\"prod\",\"storage-profile\":{\"type\":\"local\",\"root\":\"" + root + "\"}}");
    assertThat(warehouse.statusCode()).as(warehouse.body()).isEqualTo(201);
    String warehouseId = json(warehouse).path("id").asText();
    assertThat(json(warehouse).path("storage-profile").path("root").asText()).isEqualTo("file:" + root);

    String prefix = prefix(server.get("/v1/config?warehouse=analytics/prod"));
    assertThat(prefix).isEqualTo(warehouseId);
    assertThat(server.get("/v1/config?warehouse=prod").statusCode()).isEqualTo(404);
    assertThat(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"sales\"]}").statusCode()).isEqualTo(200);

    HttpResponse<String> renamed = put("/management/v1/warehouses/" + warehouseId, "{\"name\":\"production\"}");
    assertThat(renamed.statusCode()).isEqualTo(200);
    assertThat(prefix(server.get("/v1/config?warehouse=analytics/production"))).isEqualTo(prefix);
    assertThat(server.get("/v1/" + prefix + "/namespaces/sales").statusCode()).isEqualTo(200);
    assertThat(names(server.get("/management/v1/projects/analytics/warehouses"), "warehouses")).containsExactly("production");

    assertThat(server.delete("/management/v1/warehouses/" + warehouseId).statusCode()).isEqualTo(409);
    assertThat(server.delete("/management/v1/projects/analytics").statusCode()).isEqualTo(409);
    assertThat(server.delete("/v1/" + prefix + "/namespaces/sales").statusCode()).isEqualTo(204);
    assertThat(server.delete("/management/v1/warehouses/" + warehouseId).statusCode()).isEqualTo(204);
    assertThat(server.get("/v1/" + prefix + "/namespaces").statusCode()).isEqualTo(404);

    assertThat(put("/management/v1/projects/analytics", "{\"name\":\"bi\"}").statusCode()).isEqualTo(200);
    assertThat(server.delete("/management/v1/projects/bi").statusCode()).isEqualTo(204);
    assertThat(server.get("/management/v1/projects/" + projectId).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesBadWarehouses() {
    assertThat(
            server.post(
                    "/management/v1/projects/default/warehouses",
                    "{\"name\":\"x\",\"storage-profile\":{\"type\":\"floppy\",\"root\":\"/x\"}}")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            server.post(
                    "/management/v1/projects/default/warehouses",
                    "{\"name\":\"x\",\"storage-profile\":{\"type\":\"local\",\"root\":\"relative\"}}")
                .statusCode())
        .isEqualTo(400);
    assertThat(server.post("/management/v1/projects/default/warehouses", "{\"name\":\"x\"}").statusCode()).isEqualTo(400);
    assertThat(
            server.post(
                    "/management/v1/projects/default/warehouses",
                    "{\"name\":\"demo\",\"storage-profile\":{\"type\":\"local\",\"root\":\"/tmp/x\"}}")
                .statusCode())
        .isEqualTo(409);
    assertThat(server.post("/management/v1/projects/missing/warehouses", "{}").statusCode()).isEqualTo(404);
    assertThat(server.post("/management/v1/projects", "{\"name\":\"\"}").statusCode()).isEqualTo(400);
  }

  private static HttpResponse<String> put(String path, String body) {
    return server.send(
        HttpRequest.newBuilder(URI.create(server.uri(path))).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static String prefix(HttpResponse<String> config) throws Exception {
    assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
    return json(config).path("overrides").path("prefix").asText();
  }

  private static java.util.List<String> names(HttpResponse<String> response, String field) throws Exception {
    java.util.List<String> names = new java.util.ArrayList<>();
    json(response).path(field).forEach(node -> names.add(node.path("name").asText()));
    return names;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}
