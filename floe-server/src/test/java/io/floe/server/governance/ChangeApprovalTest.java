package io.floe.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.floe.server.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A webhook approver vetoes schema changes and drops: the table stays as it was, no metadata file
 * is left behind, and the client reads the approver's reason; a webhook that does not answer
 * vetoes when the warehouse fails closed and lets changes through when it fails open.
 */
class ChangeApprovalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private static final List<JsonNode> ASKED = new CopyOnWriteArrayList<>();
  private static TestServer server;
  private static HttpServer contracts;
  private static String prefix;
  private static String webhook;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("FLOE_WAREHOUSE_CACHE_SECONDS", "0"));
    prefix = server.demoPrefix();
    // the data contract: no schema changes, no drops
    contracts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    contracts.createContext(
        "/review",
        exchange -> {
          JsonNode change = JSON.readTree(exchange.getRequestBody());
          ASKED.add(change);
          String answer;
          if (change.path("updates").toString().contains("\"add-schema\"")) {
            answer = "{\"approved\":false,\"reason\":\"contract orders-v1 forbids schema changes\"}";
          } else if (change.path("operation").asText().equals("drop")) {
            answer = "{\"approved\":false,\"reason\":\"orders is referenced by the billing contract\"}";
          } else {
            answer = "{\"approved\":true}";
          }
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    contracts.start();
    webhook = "http://127.0.0.1:" + contracts.getAddress().getPort() + "/review";
  }

  @AfterAll
  static void stop() {
    contracts.stop(0);
    server.close();
  }

  @AfterEach
  void removeWebhook() {
    server.delete("/management/v1/warehouses/" + prefix + "/approval-webhook");
  }

  @Test
  void aVetoedSchemaChangeOrDropChangesNothingAndTellsWhy() throws Exception {
    try (RESTCatalog catalog = catalog()) {
      Namespace namespace = Namespace.of("contract_" + UUID.randomUUID().toString().substring(0, 8));
      catalog.createNamespace(namespace);
      TableIdentifier identifier = TableIdentifier.of(namespace, "orders");
      Table table = catalog.createTable(identifier, SCHEMA);
      ok(put("/management/v1/warehouses/" + prefix + "/approval-webhook", "{\"url\":\"" + webhook + "\",\"timeout-ms\":2000}"));
      assertThat(server.get("/management/v1/warehouses/" + prefix + "/approval-webhook").body())
          .isEqualTo("{\"url\":\"" + webhook + "\",\"timeout-ms\":2000,\"fail-open\":false}");
      Path metadata = Path.of(URI.create(table.location().replace("file:/", "file:///") + "/metadata"));
      long files = Files.list(metadata).count();
      String location = metadataLocation(namespace);

      assertThatThrownBy(() -> table.updateSchema().addColumn("note", Types.StringType.get()).commit())
          .isInstanceOf(CommitFailedException.class)
          .hasMessageContaining("contract orders-v1 forbids schema changes");
      assertThat(metadataLocation(namespace)).isEqualTo(location);
      assertThat(catalog.loadTable(identifier).schema().columns()).hasSize(1);
      assertThat(Files.list(metadata).count()).as("no metadata file left behind").isEqualTo(files);

      HttpResponse<String> drop = server.delete("/v1/" + prefix + "/namespaces/" + namespace + "/tables/orders");
      assertThat(drop.statusCode()).isEqualTo(409);
      assertThat(drop.body()).contains("orders is referenced by the billing contract");
      assertThat(catalog.tableExists(identifier)).isTrue();

      // what the approver is told: the table, its current metadata, the requested updates
      catalog.loadTable(identifier).updateProperties().set("owner", "ann").commit();
      JsonNode approved = ASKED.get(ASKED.size() - 1);
      assertThat(approved.path("operation").asText()).isEqualTo("commit");
      assertThat(approved.path("identifier").path("name").asText()).isEqualTo("orders");
      assertThat(approved.path("metadata").path("table-uuid").asText()).isEqualTo(table.uuid().toString());
      assertThat(approved.path("updates").get(0).path("action").asText()).isEqualTo("set-properties");
      assertThat(catalog.loadTable(identifier).properties()).containsEntry("owner", "ann");
    }
  }

  @Test
  void aWebhookThatIsDownVetoesWhenClosedAndApprovesWhenOpen() throws Exception {
    String down;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      down = "http://127.0.0.1:" + socket.getLocalPort() + "/review";
    }
    try (RESTCatalog catalog = catalog()) {
      Namespace namespace = Namespace.of("down_" + UUID.randomUUID().toString().substring(0, 8));
      catalog.createNamespace(namespace);
      TableIdentifier identifier = TableIdentifier.of(namespace, "t");
      catalog.createTable(identifier, SCHEMA);
      ok(put("/management/v1/warehouses/" + prefix + "/approval-webhook", "{\"url\":\"" + down + "\",\"timeout-ms\":500}"));
      String commit = "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}";
      HttpResponse<String> closed = server.post("/v1/" + prefix + "/namespaces/" + namespace + "/tables/t", commit);
      assertThat(closed.statusCode()).isEqualTo(409);
      assertThat(closed.body()).contains("did not answer").contains("fails closed");
      ok(put("/management/v1/warehouses/" + prefix + "/approval-webhook",
          "{\"url\":\"" + down + "\",\"timeout-ms\":500,\"fail-open\":true}"));
      ok(server.post("/v1/" + prefix + "/namespaces/" + namespace + "/tables/t", commit));
      assertThat(catalog.loadTable(identifier).properties()).containsEntry("k", "v");
    }
  }

  @Test
  void badWebhookSettingsAreRefused() {
    String path = "/management/v1/warehouses/" + prefix + "/approval-webhook";
    assertThat(put(path, "{\"url\":\"file:///etc/passwd\"}").statusCode()).isEqualTo(400);
    assertThat(put(path, "{\"url\":\"not a url\"}").statusCode()).isEqualTo(400);
    assertThat(put(path, "{\"url\":\"http://h/x\",\"timeout-ms\":0}").statusCode()).isEqualTo(400);
    assertThat(put(path, "{\"url\":\"http://h/x\",\"fail-open\":\"yes\"}").statusCode()).isEqualTo(400);
    assertThat(server.get(path).statusCode()).isEqualTo(404);
  }

  private static String metadataLocation(Namespace namespace) throws Exception {
    return JSON.readTree(server.get("/v1/" + prefix + "/namespaces/" + namespace + "/tables/orders").body())
        .path("metadata-location").asText();
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

  private static RESTCatalog catalog() {
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize(
        "test", Map.of("uri", server.uri(""), "warehouse", "demo", "io-impl", "io.floe.storage.local.LocalFileIO"));
    return catalog;
  }
}
