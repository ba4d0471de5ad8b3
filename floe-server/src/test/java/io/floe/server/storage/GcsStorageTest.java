package io.floe.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GCS warehouses against fake-gcs-server (scripts/test.sh starts it on loopback): the probe and
 * metadata files go through Iceberg's GCSFileIO. The emulator has no IAM, so the warehouse uses
 * no credential and vends none; downscoped tokens are tested in floe-storage-gcs against a
 * loopback token endpoint.
 */
class GcsStorageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String endpoint;
  private static String bucket;
  private static TestServer server;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    endpoint = System.getenv("FLOE_TEST_GCS_ENDPOINT");
    assumeTrue(endpoint != null, "FLOE_TEST_GCS_ENDPOINT is not set: run scripts/test.sh, which starts fake-gcs-server");
    bucket = "floe-gcs-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(endpoint + "/storage/v1/b?project=floe"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + bucket + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    server = TestServer.start(Map.of("FLOE_BOOTSTRAP_DEMO", "false"));
    assertThat(server.post("/management/v1/projects", "{\"name\":\"google\"}").statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void writesMetadataWithGcsFileIOAfterProbingTheBucket() throws Exception {
    HttpResponse<String> warehouse =
        server.post(
            "/management/v1/projects/google/warehouses",
            """
            {"name":"lake","storage-profile":{"type":"gcs","bucket":"%s","key-prefix":"wh","project-id":"floe",
             "endpoint":"%s","downscoping-enabled":false}}
            """.formatted(bucket, endpoint));
    assertThat(warehouse.statusCode()).as(warehouse.body()).isEqualTo(201);
    prefix = JSON.readTree(warehouse.body()).path("id").asText();
    assertThat(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"sales\"]}").statusCode()).isEqualTo(200);
    HttpResponse<String> table =
        server.post(
            "/v1/" + prefix + "/namespaces/sales/tables",
            "{\"name\":\"orders\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}");
    assertThat(table.statusCode()).as(table.body()).isEqualTo(200);
    String metadataLocation = JSON.readTree(table.body()).path("metadata-location").asText();
    assertThat(metadataLocation).startsWith("gs://" + bucket + "/wh/");

    String object = metadataLocation.substring(("gs://" + bucket + "/").length());
    HttpResponse<String> stored =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(endpoint + "/storage/v1/b/" + bucket + "/o/" + URLEncoder.encode(object, StandardCharsets.UTF_8) + "?alt=media"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).isEqualTo(200);
    JsonNode metadata = JSON.readTree(stored.body());
    assertThat(metadata.path("location").asText()).isEqualTo(JSON.readTree(table.body()).path("metadata").path("location").asText());

    // without downscoping, a client asking for credentials gets none, and no error
    HttpResponse<String> loaded =
        server.send(
            HttpRequest.newBuilder(URI.create(server.uri("/v1/" + prefix + "/namespaces/sales/tables/orders")))
                .header("X-Iceberg-Access-Delegation", "vended-credentials")
                .build());
    assertThat(loaded.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(loaded.body()).has("storage-credentials")).isFalse();

    HttpResponse<String> missing =
        server.post(
            "/management/v1/projects/google/warehouses",
            """
            {"name":"nobucket","storage-profile":{"type":"gcs","bucket":"floe-no-such-bucket","endpoint":"%s"}}
            """.formatted(endpoint));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("Cannot use storage profile: cannot write the probe object");
  }
}
