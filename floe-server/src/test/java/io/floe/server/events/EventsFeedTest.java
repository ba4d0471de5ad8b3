package io.floe.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every change the catalog accepts leaves exactly one CloudEvent in the outbox, read back through
 * the events feed in order; a refused change leaves none.
 */
class EventsFeedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyAcceptedChangeHasOneEventInOrder() throws Exception {
    Path root = Files.createTempDirectory("floe-events");
    JsonNode project = json(server.post("/management/v1/projects", "{\"name\":\"events\"}"));
    JsonNode warehouse =
        json(
            server.post(
                "/management/v1/projects/events/warehouses",
                "{\"name\":\"lake\",\"storage-profile\":{\"type\":\"local\",\"root\":\"" + root + "\"}}"));
    String id = warehouse.path("id").asText();
    String v1 = "/v1/" + id;
    String schema = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
    ok(server.post(v1 + "/namespaces", "{\"namespace\":[\"sales\"],\"properties\":{\"owner\":\"ann\"}}"));
    ok(server.post(v1 + "/namespaces/sales/properties", "{\"updates\":{\"team\":\"bi\"},\"removals\":[\"owner\"]}"));
    ok(server.post(v1 + "/namespaces/sales/tables", "{\"name\":\"orders\",\"schema\":" + schema + "}"));
    // refused: the name is taken; no event
    assertThat(server.post(v1 + "/namespaces/sales/tables", "{\"name\":\"orders\",\"schema\":" + schema + "}").statusCode())
        .isEqualTo(409);
    ok(server.post(v1 + "/namespaces/sales/tables/orders",
        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}"));
    ok(server.post(v1 + "/tables/rename",
        "{\"source\":{\"namespace\":[\"sales\"],\"name\":\"orders\"},\"destination\":{\"namespace\":[\"sales\"],\"name\":\"orders2\"}}"));
    ok(server.post(v1 + "/namespaces/sales/views",
        "{\"name\":\"v\",\"schema\":" + schema + ",\"view-version\":{\"version-id\":1,\"timestamp-ms\":1,\"schema-id\":0,"
            + "\"summary\":{},\"representations\":[{\"type\":\"sql\",\"sql\":\"select 1\",\"dialect\":\"spark\"}],"
            + "\"default-namespace\":[\"sales\"]}}"));
    ok(server.delete(v1 + "/namespaces/sales/views/v"));
    ok(server.delete(v1 + "/namespaces/sales/tables/orders2?purgeRequested=true"));
    ok(server.delete(v1 + "/namespaces/sales"));

    // the purge runs in the background: its event may come before or after the namespace's drop
    List<JsonNode> events =
        all("/management/v1/warehouses/" + id + "/events", 3).stream()
            .filter(e -> !e.path("type").asText().equals("io.floe.table.purged"))
            .toList();
    assertThat(events.stream().map(e -> e.path("type").asText()).toList())
        .containsExactly(
            "io.floe.warehouse.created",
            "io.floe.namespace.created",
            "io.floe.namespace.properties-updated",
            "io.floe.table.created",
            "io.floe.table.committed",
            "io.floe.table.renamed",
            "io.floe.view.created",
            "io.floe.view.dropped",
            "io.floe.table.dropped",
            "io.floe.namespace.dropped");
    for (JsonNode event : events) {
      assertThat(event.path("specversion").asText()).isEqualTo("1.0");
      assertThat(event.path("id").asText()).hasSize(36);
      assertThat(event.path("source").asText()).isEqualTo("/warehouses/" + id);
      assertThat(event.path("time").asText()).isNotEmpty();
      assertThat(event.path("floewarehouse").asText()).isEqualTo(id);
      assertThat(event.path("data").path("warehouse-name").asText()).isEqualTo("lake");
      assertThat(event.path("data").path("project-id").asText()).isEqualTo(project.path("id").asText());
      // no identity configured: no principal is named
      assertThat(event.has("floeprincipal")).isFalse();
    }
    JsonNode committed = events.get(4);
    assertThat(committed.path("subject").asText()).isEqualTo("sales.orders");
    assertThat(committed.path("data").path("updates").get(0).path("action").asText()).isEqualTo("set-properties");
    assertThat(committed.path("data").path("previous-metadata-location").asText()).isNotEmpty();
    String tableId = events.get(3).path("data").path("table-id").asText();
    assertThat(committed.path("floeobject").asText()).isEqualTo(tableId);
    assertThat(events.get(5).path("data").path("to").path("name").asText()).isEqualTo("orders2");
    assertThat(events.get(8).path("data").path("table-id").asText()).isEqualTo(tableId);
    assertThat(events.get(8).path("data").path("purge-requested").asBoolean()).isTrue();
    assertThat(events.get(2).path("data").path("removals").get(0).asText()).isEqualTo("owner");

    // the purge is done by a task; its event follows the drop
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<String> types;
    do {
      Thread.sleep(100);
      types = all("/management/v1/warehouses/" + id + "/events", 100).stream().map(e -> e.path("type").asText()).toList();
    } while (!types.contains("io.floe.table.purged") && System.nanoTime() < deadline);
    assertThat(types.indexOf("io.floe.table.purged")).isGreaterThan(types.indexOf("io.floe.table.dropped"));

    // renaming and dropping the warehouse and project are events too
    ok(server.send(HttpRequest.newBuilder(URI.create(server.uri("/management/v1/warehouses/" + id)))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"lake2\"}")).build()));
    List<JsonNode> after = all("/management/v1/warehouses/" + id + "/events", 100);
    assertThat(after.get(after.size() - 1).path("type").asText()).isEqualTo("io.floe.warehouse.renamed");
    assertThat(after.get(after.size() - 1).path("data").path("previous-name").asText()).isEqualTo("lake");
  }

  @Test
  void theFeedReadsOnFromItsCursorAndRefusesBadOnes() throws Exception {
    String prefix = server.demoPrefix();
    String feed = "/management/v1/warehouses/" + prefix + "/events";
    JsonNode start = json(server.get(feed + "?limit=1000"));
    String cursor = start.path("next-cursor").asText();
    ok(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"feed_a\"]}"));
    ok(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"feed_b\"]}"));
    JsonNode first = json(server.get(feed + "?after=" + cursor + "&limit=1"));
    assertThat(first.path("events")).hasSize(1);
    assertThat(first.path("events").get(0).path("subject").asText()).isEqualTo("feed_a");
    JsonNode second = json(server.get(feed + "?after=" + first.path("next-cursor").asText()));
    assertThat(second.path("events")).hasSize(1);
    assertThat(second.path("events").get(0).path("subject").asText()).isEqualTo("feed_b");
    // nothing new: the same cursor comes back, to poll with
    JsonNode none = json(server.get(feed + "?after=" + second.path("next-cursor").asText()));
    assertThat(none.path("events")).isEmpty();
    assertThat(none.path("next-cursor").asText()).isEqualTo(second.path("next-cursor").asText());

    assertThat(server.get(feed + "?after=yesterday").statusCode()).isEqualTo(400);
    assertThat(server.get(feed + "?after=-1").statusCode()).isEqualTo(400);
    assertThat(server.get(feed + "?limit=0").statusCode()).isEqualTo(400);
    assertThat(server.get(feed + "?limit=1001").statusCode()).isEqualTo(400);
    assertThat(server.get("/management/v1/warehouses/00000000-0000-0000-0000-000000000001/events").statusCode())
        .isEqualTo(404);
  }

  /** Every event of a feed, read in pages of {@code limit}. */
  private static List<JsonNode> all(String feed, int limit) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    String cursor = "";
    while (true) {
      JsonNode page = json(server.get(feed + "?limit=" + limit + (cursor.isEmpty() ? "" : "&after=" + cursor)));
      page.path("events").forEach(events::add);
      if (page.path("events").isEmpty()) {
        return events;
      }
      cursor = page.path("next-cursor").asText();
    }
  }

  private static void ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    return JSON.readTree(response.body());
  }
}
