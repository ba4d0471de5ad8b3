package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server deletes with its own storage key, so it deletes only what belongs to the table: a
 * writer of one table cannot make it delete another table's files by naming them in metadata.
 */
class ServerSideDeletesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static TestServer server;
  private static String prefix;
  private String namespace;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of());
    prefix = "/v1/" + server.demoPrefix();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void createNamespace() {
    namespace = "deletes_" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(server.post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void deleteAfterCommitSparesFilesOfOtherTablesNamedInTheMetadataLog() throws Exception {
    Path victim = metadataFile(create("victim"));
    registerCrafted("attacker", victim, Map.of(
        "write.metadata.delete-after-commit.enabled", "true", "write.metadata.previous-versions-max", "1"));
    // two commits push the crafted log entry out of the kept versions
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> commit =
          server.post(
              prefix + "/namespaces/" + namespace + "/tables/attacker",
              "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"n\":\"" + i + "\"}}]}");
      assertThat(commit.statusCode()).as(commit.body()).isEqualTo(200);
    }
    JsonNode log = load("attacker").at("/metadata/metadata-log");
    assertThat(log.toString()).doesNotContain(victim.toString());
    assertThat(Files.exists(victim)).as("the other table's metadata file").isTrue();
    assertThat(load("victim").get("metadata-location").asText()).isEqualTo(victim.toUri().toString().replace("file:///", "file:/"));
  }

  @Test
  void purgeSparesFilesOfOtherTablesNamedInTheMetadataLog() throws Exception {
    Path victim = metadataFile(create("victim"));
    Path crafted = registerCrafted("attacker", victim, Map.of());
    assertThat(server.delete(prefix + "/namespaces/" + namespace + "/tables/attacker?purgeRequested=true").statusCode())
        .isEqualTo(204);
    // the purge runs in the background: once the table's own files are gone, it has run
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (Files.exists(crafted) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(Files.exists(crafted)).as("the purged table's own metadata file").isFalse();
    assertThat(Files.exists(victim)).as("the other table's metadata file").isTrue();
    // the purge was a durable task, committed with the drop, and it succeeded
    String tasks = server.get("/management/v1/warehouses/" + prefix.substring(prefix.lastIndexOf('/') + 1)
        + "/tasks?kind=purge-table").body();
    while (!tasks.contains("\"state\":\"succeeded\"") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      tasks = server.get("/management/v1/warehouses/" + prefix.substring(prefix.lastIndexOf('/') + 1)
          + "/tasks?kind=purge-table").body();
    }
    assertThat(tasks).contains("\"kind\":\"purge-table\"").contains("\"state\":\"succeeded\"");
  }

  private String create(String name) {
    HttpResponse<String> created =
        server.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"" + name + "\",\"schema\":" + SCHEMA + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    return created.body();
  }

  private static Path metadataFile(String loadResult) throws Exception {
    return Path.of(URI.create(JSON.readTree(loadResult).get("metadata-location").asText()));
  }

  /**
   * Creates a table, then re-registers it from a metadata file of its own whose metadata log
   * names {@code victim}, as a writer of that table could.
   */
  private Path registerCrafted(String name, Path victim, Map<String, String> properties) throws Exception {
    JsonNode created = JSON.readTree(create(name));
    ObjectNode metadata = (ObjectNode) created.get("metadata");
    ArrayNode log = metadata.putArray("metadata-log");
    log.addObject().put("timestamp-ms", 1).put("metadata-file", victim.toUri().toString());
    properties.forEach(((ObjectNode) metadata.get("properties"))::put);
    Path own = Path.of(URI.create(created.get("metadata-location").asText()));
    Path crafted = own.resolveSibling("00001-" + UUID.randomUUID() + ".metadata.json");
    Files.writeString(crafted, JSON.writeValueAsString(metadata));
    HttpResponse<String> registered =
        server.post(
            prefix + "/namespaces/" + namespace + "/register",
            "{\"name\":\"" + name + "\",\"metadata-location\":\"" + crafted.toUri() + "\",\"overwrite\":true}");
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    return crafted;
  }

  private JsonNode load(String table) throws Exception {
    HttpResponse<String> response = server.get(prefix + "/namespaces/" + namespace + "/tables/" + table);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
