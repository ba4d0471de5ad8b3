package io.floe.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import io.floe.store.postgres.SecretKeyRing;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ADLS warehouses against Azurite (scripts/test.sh starts it on loopback): metadata written with
 * ADLSFileIO, probes, and vended SAS tokens refused on another warehouse's filesystem and after
 * they expire. Azurite has no hierarchical namespace and no directory SAS, so these warehouses
 * are flat and their tokens filesystem-wide; the per-table directory SAS is checked in
 * floe-storage-adls's AdlsCredentialVendorTest.
 */
class AdlsStorageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String endpoint;
  private static String account;
  private static String key;
  private static TestServer server;
  private static String filesystemA;
  private static String filesystemB;
  private static String prefixA;
  private static String prefixB;

  @BeforeAll
  static void start() throws Exception {
    endpoint = System.getenv("FLOE_TEST_AZURITE_ENDPOINT");
    assumeTrue(endpoint != null, "FLOE_TEST_AZURITE_ENDPOINT is not set: run scripts/test.sh, which starts Azurite");
    account = System.getenv("FLOE_TEST_AZURITE_ACCOUNT");
    key = System.getenv("FLOE_TEST_AZURITE_KEY");
    filesystemA = "floe-a-" + UUID.randomUUID().toString().substring(0, 8);
    filesystemB = "floe-b-" + UUID.randomUUID().toString().substring(0, 8);
    admin().createBlobContainer(filesystemA);
    admin().createBlobContainer(filesystemB);
    server = TestServer.start(Map.of("FLOE_SECRET_KEYS", SecretKeyRing.generate(1), "FLOE_BOOTSTRAP_DEMO", "false"));
    check(server.post("/management/v1/projects", "{\"name\":\"azure\"}"), 201);
    prefixA = createWarehouse("a", filesystemA, key, 5);
    prefixB = createWarehouse("b", filesystemB, key, 3600);
    for (String prefix : new String[] {prefixA, prefixB}) {
      check(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"sales\"]}"), 200);
      check(server.post("/v1/" + prefix + "/namespaces/sales/tables", TABLE), 200);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void writesMetadataWithAdlsFileIOAndProbesOnCreation() throws Exception {
    JsonNode table = load(prefixA, null);
    String metadataLocation = table.path("metadata-location").asText();
    assertThat(metadataLocation).startsWith("abfss://" + filesystemA + "@" + account + ".dfs.core.windows.net/lake/");
    assertThat(admin().getBlobContainerClient(filesystemA).getBlobClient(path(metadataLocation)).exists()).isTrue();

    HttpResponse<String> badKey =
        server.post(
            "/management/v1/projects/azure/warehouses",
            body("bad", filesystemA, java.util.Base64.getEncoder().encodeToString(new byte[64]), 60));
    assertThat(badKey.statusCode()).isEqualTo(400);
    assertThat(badKey.body()).contains("Cannot use storage profile: cannot write the probe object").doesNotContain(key);
    assertThat(server.get("/management/v1/projects/azure/warehouses").body())
        .contains("\"storage-credential-stored\":true").doesNotContain(key);
  }

  @Test
  void vendedSasReadsItsOwnFilesystemOnlyAndExpires() throws Exception {
    JsonNode a = load(prefixA, "vended-credentials");
    JsonNode config = a.path("storage-credentials").get(0).path("config");
    String host = account + ".dfs.core.windows.net";
    String token = config.path("adls.sas-token." + host).asText();
    assertThat(token).contains("sr=c").contains("sp=racwdl");
    assertThat(config.path("adls.connection-string." + host).asText()).isEqualTo(endpoint);
    assertThat(config.path("adls.refresh-credentials-endpoint").asText())
        .isEqualTo("v1/" + prefixA + "/namespaces/sales/tables/orders/credentials");
    Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(config.path("adls.sas-token-expires-at-ms." + host).asText()));
    assertThat(Duration.between(Instant.now(), expiresAt)).isLessThanOrEqualTo(Duration.ofSeconds(5));

    String own = path(a.path("metadata-location").asText());
    String other = path(load(prefixB, null).path("metadata-location").asText());
    assertThat(withSas(token, filesystemA).getBlobClient(own).downloadContent().toString()).contains("format-version");
    assertDenied(() -> withSas(token, filesystemB).getBlobClient(other).downloadContent());

    long wait = Duration.between(Instant.now(), expiresAt).toMillis() + 1500;
    Thread.sleep(Math.max(0, wait));
    assertDenied(() -> withSas(token, filesystemA).getBlobClient(own).downloadContent());
  }

  private static final String TABLE =
      "{\"name\":\"orders\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";

  private static String createWarehouse(String name, String filesystem, String accountKey, int sasSeconds) throws Exception {
    HttpResponse<String> created =
        server.post("/management/v1/projects/azure/warehouses", body(name, filesystem, accountKey, sasSeconds));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(accountKey);
    return JSON.readTree(created.body()).path("id").asText();
  }

  private static String body(String name, String filesystem, String accountKey, int sasSeconds) {
    return """
        {"name":"%s",
         "storage-profile":{"type":"adls","account-name":"%s","filesystem":"%s","key-prefix":"lake",
                            "endpoint":"%s","hierarchical-namespace":false,"sas-lifetime-seconds":%d},
         "storage-credential":{"type":"azure-shared-key","account-key":"%s"}}
        """
        .formatted(name, account, filesystem, endpoint, sasSeconds, accountKey);
  }

  private static JsonNode load(String prefix, String delegation) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri("/v1/" + prefix + "/namespaces/sales/tables/orders"))).GET();
    if (delegation != null) {
      request.header("X-Iceberg-Access-Delegation", delegation);
    }
    HttpResponse<String> response = server.send(request.build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).doesNotContain(key);
    return JSON.readTree(response.body());
  }

  private static String path(String location) {
    return location.substring(location.indexOf(".dfs.core.windows.net/") + ".dfs.core.windows.net/".length());
  }

  private static BlobServiceClient admin() {
    return new BlobServiceClientBuilder()
        .endpoint(endpoint)
        .credential(new StorageSharedKeyCredential(account, key))
        .buildClient();
  }

  private static BlobContainerClient withSas(String token, String filesystem) {
    return new BlobServiceClientBuilder().endpoint(endpoint).sasToken(token).buildClient().getBlobContainerClient(filesystem);
  }

  private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(BlobStorageException.class)
        .satisfies(e -> assertThat(((BlobStorageException) e).getStatusCode()).isEqualTo(403));
  }

  private static void check(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
  }
}
