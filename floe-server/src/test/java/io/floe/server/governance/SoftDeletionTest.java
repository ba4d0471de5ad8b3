package io.floe.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Soft deletion: a dropped table is hidden, listed as deleted, undropped with its whole history,
 * frees its name meanwhile, and is dropped for good (its files purged when asked) once it expires.
 */
class SoftDeletionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
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
  void aSoftDroppedTableComesBackWithItsHistory() throws Exception {
    assertThat(put("/management/v1/warehouses/" + prefix + "/delete-profile", "{\"type\":\"soft\",\"expiration-seconds\":3600}").body())
        .isEqualTo("{\"type\":\"soft\",\"expiration-seconds\":3600}");
    try (RESTCatalog catalog = catalog()) {
      Namespace namespace = Namespace.of("soft_" + suffix());
      catalog.createNamespace(namespace);
      TableIdentifier identifier = TableIdentifier.of(namespace, "orders");
      Table table = catalog.createTable(identifier, SCHEMA, PartitionSpec.unpartitioned());
      for (int i = 0; i < 3; i++) {
        table.newAppend().appendFile(file(table, i)).commit();
      }
      String before = load(namespace, "orders").path("metadata").toString();
      String id = table.uuid().toString();

      assertThat(catalog.dropTable(identifier, false)).isTrue();
      assertThat(catalog.tableExists(identifier)).isFalse();
      assertThat(catalog.listTables(namespace)).isEmpty();
      JsonNode deleted = JSON.readTree(server.get("/management/v1/warehouses/" + prefix + "/deleted-tabulars").body());
      JsonNode entry = find(deleted, namespace);
      assertThat(entry.path("name").asText()).isEqualTo("orders");
      assertThat(entry.path("type").asText()).isEqualTo("table");
      assertThat(entry.path("expires-at").asText()).isNotEmpty();
      String tabular = entry.path("id").asText();

      // the name is free meanwhile; undropping into a taken name is refused
      catalog.createTable(identifier, SCHEMA);
      HttpResponse<String> taken = server.post(undrop(tabular), "");
      assertThat(taken.statusCode()).as(taken.body()).isEqualTo(409);
      assertThat(taken.body()).contains("taken its name");
      catalog.dropTable(identifier, false);

      HttpResponse<String> undropped = server.post(undrop(tabular), "");
      assertThat(undropped.statusCode()).as(undropped.body()).isEqualTo(200);
      assertThat(load(namespace, "orders").path("metadata").toString()).isEqualTo(before);
      Table back = catalog.loadTable(identifier);
      assertThat(back.uuid().toString()).isEqualTo(id);
      assertThat(back.history()).hasSize(3);
      back.newAppend().appendFile(file(back, 9)).commit(); // it lives on
      assertThat(server.post(undrop(tabular), "").statusCode()).isEqualTo(404);
      assertThat(server.post(undrop("not-an-id"), "").statusCode()).isEqualTo(404);
      // the other "orders" is still listed as deleted: two drops, one undrop
      JsonNode after = JSON.readTree(server.get("/management/v1/warehouses/" + prefix + "/deleted-tabulars").body());
      assertThat(after.path("tabulars").toString()).doesNotContain(tabular);
    } finally {
      put("/management/v1/warehouses/" + prefix + "/delete-profile", "{\"type\":\"hard\"}");
    }
  }

  @Test
  void anExpiredTableIsDroppedForGoodAndItsFilesPurged() throws Exception {
    assertThat(put("/management/v1/warehouses/" + prefix + "/delete-profile", "{\"type\":\"soft\",\"expiration-seconds\":1}").statusCode())
        .isEqualTo(200);
    try (RESTCatalog catalog = catalog()) {
      Namespace namespace = Namespace.of("expire_" + suffix());
      catalog.createNamespace(namespace);
      Table purged = catalog.createTable(TableIdentifier.of(namespace, "purged"), SCHEMA);
      purged.newAppend().appendFile(file(purged, 1)).commit();
      Table kept = catalog.createTable(TableIdentifier.of(namespace, "kept"), SCHEMA);
      kept.newAppend().appendFile(file(kept, 1)).commit();
      Path purgedMetadata = Path.of(URI.create(purged.location().replace("file:/", "file:///") + "/metadata"));
      Path keptMetadata = Path.of(URI.create(kept.location().replace("file:/", "file:///") + "/metadata"));
      assertThat(catalog.dropTable(TableIdentifier.of(namespace, "purged"), true)).isTrue();
      assertThat(catalog.dropTable(TableIdentifier.of(namespace, "kept"), false)).isTrue();
      assertThat(Files.exists(purgedMetadata)).as("kept until it expires").isTrue();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline
          && (Files.list(purgedMetadata).findAny().isPresent()
              || server.get("/management/v1/warehouses/" + prefix + "/deleted-tabulars").body().contains(namespace.toString()))) {
        Thread.sleep(200);
      }
      assertThat(Files.list(purgedMetadata).toList()).as("purged once expired").isEmpty();
      assertThat(Files.list(keptMetadata).toList()).as("dropped without purge: files stay").isNotEmpty();
      assertThat(server.get("/management/v1/warehouses/" + prefix + "/deleted-tabulars").body()).doesNotContain(namespace.toString());
      String tasks = server.get("/management/v1/warehouses/" + prefix + "/tasks?kind=expire-tabular&state=succeeded").body();
      assertThat(tasks).contains("expire-tabular");
    } finally {
      put("/management/v1/warehouses/" + prefix + "/delete-profile", "{\"type\":\"hard\"}");
    }
  }

  @Test
  void aRecursiveDropSoftDropsWhatTheNamespaceHolds() throws Exception {
    put("/management/v1/warehouses/" + prefix + "/delete-profile", "{\"type\":\"soft\",\"expiration-seconds\":3600}");
    try (RESTCatalog catalog = catalog()) {
      Namespace namespace = Namespace.of("rec_" + suffix());
      catalog.createNamespace(namespace);
      catalog.createNamespace(Namespace.of(namespace.level(0), "inner"));
      catalog.createTable(TableIdentifier.of(namespace, "a"), SCHEMA);
      catalog.createTable(TableIdentifier.of(Namespace.of(namespace.level(0), "inner"), "b"), SCHEMA);
      assertThat(server.delete("/v1/" + prefix + "/namespaces/" + namespace).statusCode()).isEqualTo(409);
      HttpResponse<String> dropped = server.delete("/v1/" + prefix + "/namespaces/" + namespace + "?recursive=true");
      assertThat(dropped.statusCode()).as(dropped.body()).isEqualTo(204);
      assertThat(catalog.namespaceExists(namespace)).isFalse();
      JsonNode deleted = JSON.readTree(server.get("/management/v1/warehouses/" + prefix + "/deleted-tabulars").body());
      String a = find(deleted, namespace).path("id").asText();
      // its namespace is gone: create it again first
      HttpResponse<String> orphan = server.post(undrop(a), "");
      assertThat(orphan.statusCode()).as(orphan.body()).isEqualTo(409);
      assertThat(orphan.body()).contains("no longer exists");
      catalog.createNamespace(namespace);
      assertThat(server.post(undrop(a), "").statusCode()).isEqualTo(200);
      assertThat(catalog.tableExists(TableIdentifier.of(namespace, "a"))).isTrue();
    } finally {
      put("/management/v1/warehouses/" + prefix + "/delete-profile", "{\"type\":\"hard\"}");
    }
  }

  @Test
  void badDeleteProfilesAreRefused() {
    String path = "/management/v1/warehouses/" + prefix + "/delete-profile";
    assertThat(put(path, "{\"type\":\"gentle\"}").statusCode()).isEqualTo(400);
    assertThat(put(path, "{\"type\":\"soft\"}").statusCode()).isEqualTo(400);
    assertThat(put(path, "{\"type\":\"soft\",\"expiration-seconds\":0}").statusCode()).isEqualTo(400);
    assertThat(put(path, "{\"type\":\"soft\",\"expiration-seconds\":\"60\"}").statusCode()).isEqualTo(400);
    assertThat(put(path, "not json").statusCode()).isEqualTo(400);
    assertThat(server.get(path).body()).isEqualTo("{\"type\":\"hard\"}");
  }

  private static JsonNode find(JsonNode deleted, Namespace namespace) {
    for (JsonNode entry : deleted.path("tabulars")) {
      if (entry.path("namespace").toString().equals(JSON.valueToTree(List.of(namespace.levels())).toString())) {
        return entry;
      }
    }
    throw new AssertionError("not listed as deleted: " + namespace + " in " + deleted);
  }

  private static DataFile file(Table table, int n) {
    return DataFiles.builder(table.spec())
        .withPath(table.location() + "/data/f" + n + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .build();
  }

  private static String undrop(String id) {
    return "/management/v1/warehouses/" + prefix + "/deleted-tabulars/" + id + "/undrop";
  }

  private static JsonNode load(Namespace namespace, String table) throws Exception {
    return JSON.readTree(server.get("/v1/" + prefix + "/namespaces/" + namespace + "/tables/" + table).body());
  }

  private static HttpResponse<String> put(String path, String body) {
    return server.send(
        HttpRequest.newBuilder(URI.create(server.uri(path)))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static RESTCatalog catalog() {
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize(
        "test",
        Map.of("uri", server.uri(""), "warehouse", "demo", "io-impl", "io.floe.storage.local.LocalFileIO"));
    return catalog;
  }
}
