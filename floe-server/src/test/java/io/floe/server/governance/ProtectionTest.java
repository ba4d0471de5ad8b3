package io.floe.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A protected object, or anything that holds one, is not dropped unless the drop is forced (with
 * allow-all, anyone may force; with OpenFGA, see PermissionsTest).
 */
class ProtectionTest {
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static TestServer server;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of());
    prefix = server.demoPrefix();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void protectedTablesViewsAndNamespacesAreNotDroppedUnlessForced() {
    String ns = "prot_" + UUID.randomUUID().toString().substring(0, 8);
    String v1 = "/v1/" + prefix + "/namespaces";
    ok(server.post(v1, "{\"namespace\":[\"" + ns + "\"]}"));
    ok(server.post(v1 + "/" + ns + "/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}"));
    ok(server.post(v1 + "/" + ns + "/views",
        "{\"name\":\"v\",\"schema\":" + SCHEMA + ",\"view-version\":{\"version-id\":1,\"timestamp-ms\":1,\"schema-id\":0,"
            + "\"summary\":{},\"representations\":[{\"type\":\"sql\",\"sql\":\"select 1\",\"dialect\":\"spark\"}],"
            + "\"default-namespace\":[\"" + ns + "\"]}}"));
    String management = "/management/v1/warehouses/" + prefix + "/namespaces/" + ns;
    assertThat(server.get(management + "/tables/t/protection").body()).isEqualTo("{\"protected\":false}");
    assertThat(put(management + "/tables/t/protection", "{\"protected\":true}").body()).isEqualTo("{\"protected\":true}");
    assertThat(server.get(management + "/tables/t/protection").body()).isEqualTo("{\"protected\":true}");
    ok(put(management + "/views/v/protection", "{\"protected\":true}"));

    HttpResponse<String> refused = server.delete(v1 + "/" + ns + "/tables/t");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("protected").contains("force=true");
    assertThat(server.delete(v1 + "/" + ns + "/views/v").statusCode()).isEqualTo(409);
    // what holds a protected table is not dropped with it either
    assertThat(server.delete(v1 + "/" + ns + "?recursive=true").statusCode()).isEqualTo(409);
    assertThat(server.get(v1 + "/" + ns + "/tables/t").statusCode()).isEqualTo(200);
    assertThat(server.delete(v1 + "/" + ns + "/tables/t?force=maybe").statusCode()).isEqualTo(400);

    assertThat(server.delete(v1 + "/" + ns + "/tables/t?force=true").statusCode()).isEqualTo(204);
    ok(put(management + "/views/v/protection", "{\"protected\":false}"));
    assertThat(server.delete(v1 + "/" + ns + "/views/v").statusCode()).isEqualTo(204);

    ok(put(management + "/protection", "{\"protected\":true}"));
    assertThat(server.delete(v1 + "/" + ns).statusCode()).isEqualTo(409);
    assertThat(server.delete(v1 + "/" + ns + "?force=true").statusCode()).isEqualTo(204);

    // bad requests and missing objects
    assertThat(put(management + "/protection", "{\"protected\":\"yes\"}").statusCode()).isEqualTo(400);
    assertThat(put(management + "/protection", "{}").statusCode()).isEqualTo(400);
    assertThat(server.get(management + "/protection").statusCode()).isEqualTo(404);
    assertThat(server.get(management + "/tables/t/protection").statusCode()).isEqualTo(404);
  }

  @Test
  void aProtectedWarehouseIsNotDroppedUnlessForced() throws Exception {
    String root = Files.createTempDirectory("floe-protected").toString();
    HttpResponse<String> created =
        server.post(
            "/management/v1/projects/default/warehouses",
            "{\"name\":\"guarded\",\"storage-profile\":{\"type\":\"local\",\"root\":\"" + root + "\"}}");
    assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
    String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).path("id").asText();
    ok(put("/management/v1/warehouses/" + id + "/protection", "{\"protected\":true}"));
    assertThat(server.get("/management/v1/warehouses/" + id + "/protection").body()).isEqualTo("{\"protected\":true}");
    HttpResponse<String> refused = server.delete("/management/v1/warehouses/" + id);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("protected");
    assertThat(server.delete("/management/v1/warehouses/" + id + "?force=true").statusCode()).isEqualTo(204);
  }

  private static void ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
  }

  private static HttpResponse<String> put(String path, String body) {
    return server.send(
        HttpRequest.newBuilder(URI.create(server.uri(path)))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
