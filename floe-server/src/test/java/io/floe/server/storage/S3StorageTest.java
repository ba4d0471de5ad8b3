package io.floe.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.S3TestService;
import io.floe.server.testing.TeeStream;
import io.floe.server.testing.TestServer;
import io.floe.store.postgres.SecretKeyRing;
import io.floe.store.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 warehouses against a real S3 server that enforces STS session policies: metadata written
 * with S3FileIO, probes on creation, vended credentials scoped to one table and one access level,
 * their expiry, the credential cache, and the secret kept out of every response and log line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3StorageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DELEGATION = "X-Iceberg-Access-Delegation";

  private static S3TestService s3;
  private static String bucket;
  private static TestServer writer;
  private static TestServer reader;
  private static TestServer twin;
  private static String writerPrefix;
  private static String readerPrefix;
  private static final List<String> responses = new ArrayList<>();
  private static final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private static PrintStream originalErr;
  private static JsonNode earlyCredential;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3TestService.fromEnvironment();
    originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8));
    bucket = s3.createBucket("s3test");
    String keys = SecretKeyRing.generate(1);
    String database = TestDatabase.create();
    writer =
        TestServer.start(
            Map.of("FLOE_SECRET_KEYS", keys, "FLOE_BOOTSTRAP_DEMO", "false", "FLOE_DATABASE_URL", database));
    // a second stateless server over the writer's database, with a short warehouse cache
    twin =
        TestServer.start(
            Map.of(
                "FLOE_SECRET_KEYS", keys, "FLOE_BOOTSTRAP_DEMO", "false", "FLOE_DATABASE_URL", database,
                "FLOE_WAREHOUSE_CACHE_SECONDS", "1"));
    reader =
        TestServer.start(
            Map.of("FLOE_SECRET_KEYS", keys, "FLOE_BOOTSTRAP_DEMO", "false", "FLOE_VENDED_CREDENTIALS_ACCESS", "read"));
    check(writer.post("/management/v1/projects", "{\"name\":\"storage\"}"), 201);
    check(reader.post("/management/v1/projects", "{\"name\":\"storage\"}"), 201);
    writerPrefix = createWarehouse(writer, "lake", "writer");
    readerPrefix = createWarehouse(reader, "lake", "reader");
    for (TestServer server : List.of(writer, reader)) {
      String prefix = server == writer ? writerPrefix : readerPrefix;
      check(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"sales\"]}"), 200);
      check(server.post("/v1/" + prefix + "/namespaces/sales/tables", table("a")), 200);
      check(server.post("/v1/" + prefix + "/namespaces/sales/tables", table("b")), 200);
    }
    // minted now and used by the last test, after the S3 server's session cap has passed
    earlyCredential = storageConfig(load(reader, readerPrefix, "a", "vended-credentials"));
  }

  @AfterAll
  static void stop() {
    if (originalErr != null) {
      System.setErr(originalErr);
    }
    if (writer != null) {
      writer.close();
    }
    if (reader != null) {
      reader.close();
    }
    if (twin != null) {
      twin.close();
    }
  }

  @Test
  @Order(1)
  void writesMetadataFilesIntoTheBucketWithS3FileIO() throws Exception {
    JsonNode table = load(writer, writerPrefix, "a", null);
    String metadataLocation = table.path("metadata-location").asText();
    assertThat(metadataLocation).startsWith("s3://" + bucket + "/writer/");
    assertThat(table.has("config")).isFalse();
    try (S3Client admin = s3.adminClient()) {
      String key = metadataLocation.substring(("s3://" + bucket + "/").length());
      assertThat(admin.headObject(r -> r.bucket(bucket).key(key)).contentLength()).isPositive();
    }
  }

  @Test
  @Order(2)
  void probesTheStorageOnCreationAndNeverReturnsTheCredential() throws Exception {
    HttpResponse<String> warehouse = writer.get("/management/v1/projects/storage/warehouses");
    assertThat(warehouse.body()).contains("\"storage-credential-stored\":true").doesNotContain(s3.secretKey());

    String badKey = s3.warehouseJson("bad", bucket, "bad", "").replace(s3.secretKey(), "not-the-secret-key-at-all");
    HttpResponse<String> refused = post(writer, "/management/v1/projects/storage/warehouses", badKey);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("Cannot use storage profile: cannot write the probe object");

    String unreachable = s3.warehouseJson("unreachable", bucket, "w", "").replace(s3.endpoint(), "http://127.0.0.1:9");
    HttpResponse<String> missing = post(writer, "/management/v1/projects/storage/warehouses", unreachable);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("Cannot use storage profile: cannot write the probe object");

    String unknownField = s3.warehouseJson("typo", bucket, "typo", ",\"path-style\":true");
    HttpResponse<String> typo = post(writer, "/management/v1/projects/storage/warehouses", unknownField);
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(typo.body()).contains("unknown field path-style");
  }

  @Test
  @Order(3)
  void readCredentialsReadOnlyTheirOwnTable() throws Exception {
    JsonNode a = load(reader, readerPrefix, "a", "vended-credentials");
    JsonNode b = load(reader, readerPrefix, "b", null);
    JsonNode config = storageConfig(a);
    assertThat(a.path("storage-credentials").get(0).path("prefix").asText()).isEqualTo(a.path("metadata").path("location").asText());
    assertThat(config.path("client.refresh-credentials-endpoint").asText())
        .isEqualTo("v1/" + readerPrefix + "/namespaces/sales/tables/a/credentials");
    assertThat(config.path("s3.endpoint").asText()).isEqualTo(s3.endpoint());
    assertThat(config.path("s3.path-style-access").asText()).isEqualTo("true");
    assertThat(config.path("client.region").asText()).isEqualTo(S3TestService.REGION);
    assertThat(Long.parseLong(config.path("s3.session-token-expires-at-ms").asText()))
        .isGreaterThan(System.currentTimeMillis());
    assertThat(config.path("s3.access-key-id").asText()).isNotEqualTo(s3.accessKey());

    try (S3Client vended = vendedClient(config)) {
      assertThat(read(vended, a.path("metadata-location").asText())).isNotEmpty();
      assertThat(list(vended, a.path("metadata").path("location").asText())).isPositive();
      assertDenied(() -> read(vended, b.path("metadata-location").asText()));
      assertDenied(() -> list(vended, b.path("metadata").path("location").asText()));
      assertDenied(() -> write(vended, a.path("metadata").path("location").asText() + "/data/x.parquet"));
      assertDenied(() -> delete(vended, a.path("metadata-location").asText()));
    }

    // remote signing follows the same access level: a reader's PUT is refused by Floe, with why
    String sign = "/v1/" + readerPrefix + "/namespaces/sales/tables/a/sign";
    String object = s3.endpoint() + "/" + key(a.path("metadata").path("location").asText()).replaceFirst("^", bucket + "/");
    HttpResponse<String> put =
        post(reader, sign, "{\"region\":\"us-east-1\",\"method\":\"PUT\",\"uri\":\"" + object + "/data/x.parquet\",\"headers\":{}}");
    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(put.body()).contains("Cannot sign PutObject: the caller may only read this table");
    HttpResponse<String> get =
        post(reader, sign, "{\"region\":\"us-east-1\",\"method\":\"GET\",\"uri\":\"" + object + "/data/x.parquet\",\"headers\":{}}");
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(JSON.readTree(get.body()).path("headers").path("Authorization").get(0).asText()).startsWith("AWS4-HMAC-SHA256");
  }

  @Test
  @Order(4)
  void readWriteCredentialsWriteOnlyUnderTheirOwnTable() throws Exception {
    JsonNode a = load(writer, writerPrefix, "a", "vended-credentials");
    JsonNode b = load(writer, writerPrefix, "b", null);
    try (S3Client vended = vendedClient(storageConfig(a))) {
      String aLocation = a.path("metadata").path("location").asText();
      String bLocation = b.path("metadata").path("location").asText();
      write(vended, aLocation + "/data/written-by-client.parquet");
      assertThat(read(vended, aLocation + "/data/written-by-client.parquet")).isEqualTo("data");
      delete(vended, aLocation + "/data/written-by-client.parquet");
      assertDenied(() -> write(vended, bLocation + "/data/intruder.parquet"));
      assertDenied(() -> read(vended, b.path("metadata-location").asText()));
      assertDenied(() -> write(vended, "s3://" + bucket + "/writer/outside.parquet"));
    }
  }

  @Test
  @Order(5)
  void credentialsEndpointAndRepeatedLoadsShareOneCachedCredential() throws Exception {
    JsonNode first = storageConfig(load(writer, writerPrefix, "b", "vended-credentials"));
    JsonNode second = storageConfig(load(writer, writerPrefix, "b", "vended-credentials"));
    HttpResponse<String> endpoint =
        get(writer, "/v1/" + writerPrefix + "/namespaces/sales/tables/b/credentials", null);
    assertThat(endpoint.statusCode()).isEqualTo(200);
    JsonNode fromEndpoint = JSON.readTree(endpoint.body()).path("storage-credentials").get(0);
    assertThat(fromEndpoint.path("prefix").asText()).isEqualTo(load(writer, writerPrefix, "b", null).path("metadata").path("location").asText());
    assertThat(second.path("s3.access-key-id").asText()).isEqualTo(first.path("s3.access-key-id").asText());
    assertThat(fromEndpoint.path("config").path("s3.access-key-id").asText())
        .isEqualTo(first.path("s3.access-key-id").asText());
    String metrics = writer.get("/metrics").body();
    assertThat(metrics).containsPattern("cache_gets_total\\{cache=\"credential\",result=\"hit\"\\} [1-9]");
    assertThat(metrics).contains("cache_size{cache=\"credential\"}");
    // vendor calls are timed by storage kind: one per cache miss
    assertThat(metrics).containsPattern("floe_credentials_vend_seconds_count\\{outcome=\"vended\",storage=\"s3\"\\} [1-9]");
    assertThat(metrics).contains("floe_credentials_vend_seconds_bucket{outcome=\"vended\",storage=\"s3\",le=");
  }

  @Test
  @Order(9)
  void createCommitAndRegisterResponsesCarryCredentialsToo() throws Exception {
    String tables = "/v1/" + writerPrefix + "/namespaces/sales/tables";
    JsonNode created = JSON.readTree(send(writer, "POST", tables, table("handed"), "vended-credentials").body());
    assertThat(storageConfig(created).has("s3.session-token")).isTrue();
    JsonNode staged =
        JSON.readTree(
            send(writer, "POST", tables, table("staged").replaceFirst("^\\{", "{\"stage-create\":true,"), "vended-credentials")
                .body());
    assertThat(storageConfig(staged).has("s3.session-token")).isTrue();
    // a staged table has no credentials endpoint until its create commits
    assertThat(storageConfig(staged).has("client.refresh-credentials-endpoint")).isFalse();
    JsonNode committed =
        JSON.readTree(
            send(writer, "POST", tables + "/handed",
                    "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}",
                    "vended-credentials")
                .body());
    assertThat(storageConfig(committed).has("s3.session-token")).isTrue();
    String metadataLocation = committed.path("metadata-location").asText();
    assertThat(writer.delete(tables + "/handed").statusCode()).isEqualTo(204);
    HttpResponse<String> registered =
        send(writer, "POST", "/v1/" + writerPrefix + "/namespaces/sales/register",
            "{\"name\":\"handed_again\",\"metadata-location\":\"" + metadataLocation + "\"}", "vended-credentials");
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    assertThat(storageConfig(JSON.readTree(registered.body())).path("client.refresh-credentials-endpoint").asText())
        .endsWith("/tables/handed_again/credentials");
  }

  @Test
  @Order(6)
  void locationsOutsideTheWarehouseOrInsideAnotherTableAreRefused() throws Exception {
    JsonNode a = load(writer, writerPrefix, "a", null);
    String aLocation = a.path("metadata").path("location").asText();
    String tables = "/v1/" + writerPrefix + "/namespaces/sales/tables";
    HttpResponse<String> elsewhere = post(writer, tables, tableAt("c", "s3://" + bucket + "/reader/stolen"));
    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(elsewhere.body()).contains("outside the warehouse's allowed locations");
    HttpResponse<String> inside = post(writer, tables, tableAt("c", aLocation + "/nested"));
    assertThat(inside.statusCode()).isEqualTo(400);
    assertThat(inside.body()).contains("overlaps the location");
    HttpResponse<String> around = post(writer, tables, tableAt("c", "s3://" + bucket + "/writer"));
    assertThat(around.statusCode()).isEqualTo(400);
    HttpResponse<String> same = post(writer, tables, tableAt("c", aLocation + "/"));
    assertThat(same.statusCode()).isEqualTo(400);
    HttpResponse<String> register =
        post(writer, "/v1/" + writerPrefix + "/namespaces/sales/register",
            "{\"name\":\"a_again\",\"metadata-location\":\"" + a.path("metadata-location").asText() + "\"}");
    assertThat(register.statusCode()).isEqualTo(400);
    assertThat(register.body()).contains("overlaps the location");
    HttpResponse<String> sibling = post(writer, tables, tableAt("c", aLocation + "-sibling"));
    assertThat(sibling.statusCode()).as(sibling.body()).isEqualTo(200);
    // a staged create hands out credentials at once: it is held to the same rule
    HttpResponse<String> staged =
        send(writer, "POST", tables, tableAt("d", aLocation + "/staged").replaceFirst("^\\{", "{\"stage-create\":true,"),
            "vended-credentials");
    assertThat(staged.statusCode()).isEqualTo(400);
    assertThat(staged.body()).contains("overlaps the location").doesNotContain("s3.session-token");
    HttpResponse<String> wildcard = post(writer, tables, tableAt("e", "s3://" + bucket + "/writer/*"));
    assertThat(wildcard.statusCode()).isEqualTo(400);

    // a data path pointed at another table's files does not widen the credentials
    JsonNode b = load(writer, writerPrefix, "b", null);
    String pointed =
        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":"
            + "{\"write.data.path\":\"" + b.path("metadata").path("location").asText() + "/data\"}}]}";
    check(writer.post(tables + "/c", pointed), 200);
    try (S3Client vended = vendedClient(storageConfig(load(writer, writerPrefix, "c", "vended-credentials")))) {
      assertDenied(() -> read(vended, b.path("metadata-location").asText()));
    }
  }

  @Test
  @Order(7)
  void storageChangesAreProbedAndTakeEffectWithoutRestart() throws Exception {
    String id = warehouseId(writer);
    String badCredential =
        "{\"storage-profile\":" + profile("writer", "") + ",\"storage-credential\":{\"access-key-id\":\""
            + s3.accessKey() + "\",\"secret-access-key\":\"wrong-secret-key-0000000000\"}}";
    HttpResponse<String> refused = put(writer, "/management/v1/warehouses/" + id + "/storage", badCredential);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(storageConfig(load(writer, writerPrefix, "a", "vended-credentials")).has("s3.access-key-id")).isTrue();

    String moved = "{\"storage-profile\":" + profile("elsewhere", "") + "}";
    assertThat(put(writer, "/management/v1/warehouses/" + id + "/storage", moved).statusCode()).isEqualTo(400);

    String noVending = "{\"storage-profile\":" + profile("writer", ",\"sts-enabled\":false") + "}";
    HttpResponse<String> changed = put(writer, "/management/v1/warehouses/" + id + "/storage", noVending);
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(load(writer, writerPrefix, "a", "vended-credentials").has("storage-credentials")).isFalse();
    // the other server sees it once its warehouse cache entry expires, with no restart
    assertThat(eventually(() -> !load(twin, writerPrefix, "a", "vended-credentials").has("storage-credentials")))
        .isTrue();

    String rotated =
        "{\"storage-profile\":" + profile("writer", "") + ",\"storage-credential\":{\"access-key-id\":\""
            + s3.accessKey() + "\",\"secret-access-key\":\"" + s3.secretKey() + "\"}}";
    HttpResponse<String> back = put(writer, "/management/v1/warehouses/" + id + "/storage", rotated);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(storageConfig(load(writer, writerPrefix, "a", "vended-credentials")).has("s3.session-token")).isTrue();
    check(writer.post("/v1/" + writerPrefix + "/namespaces/sales/tables", table("after_rotation")), 200);
    assertThat(eventually(() -> load(twin, writerPrefix, "a", "vended-credentials").has("storage-credentials")))
        .isTrue();
    check(twin.post("/v1/" + writerPrefix + "/namespaces/sales/tables", table("through_twin")), 200);
  }

  @Test
  @Order(8)
  void storesWithoutRolesGetFederationTokensWithTheSameScope() throws Exception {
    String profile =
        """
        {"name":"federated",
         "storage-profile":{"type":"s3","bucket":"%s","key-prefix":"federated","region":"%s","endpoint":"%s",
                            "path-style-access":true},
         "storage-credential":{"type":"s3-access-key","access-key-id":"%s","secret-access-key":"%s"}}
        """
            .formatted(bucket, S3TestService.REGION, s3.endpoint(), s3.accessKey(), s3.secretKey());
    HttpResponse<String> created = post(writer, "/management/v1/projects/storage/warehouses", profile);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String prefix = JSON.readTree(created.body()).path("id").asText();
    check(writer.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"sales\"]}"), 200);
    check(writer.post("/v1/" + prefix + "/namespaces/sales/tables", table("a")), 200);
    JsonNode a = load(writer, prefix, "a", "vended-credentials");
    JsonNode other = load(writer, writerPrefix, "a", null);
    try (S3Client vended = vendedClient(storageConfig(a))) {
      assertThat(read(vended, a.path("metadata-location").asText())).isNotEmpty();
      write(vended, a.path("metadata").path("location").asText() + "/data/f.parquet");
      assertDenied(() -> read(vended, other.path("metadata-location").asText()));
    }
  }

  @Test
  @Order(10)
  void anExpiredSoftDroppedTableIsPurgedFromTheBucket() throws Exception {
    String profile = "/management/v1/warehouses/" + writerPrefix + "/delete-profile";
    check(writer.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(writer.uri(profile)))
        .header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"soft\",\"expiration-seconds\":1}")).build()), 200);
    try {
      check(writer.post("/v1/" + writerPrefix + "/namespaces/sales/tables", table("expiring")), 200);
      check(writer.post("/v1/" + writerPrefix + "/namespaces/sales/tables/expiring",
          "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}"), 200);
      String location = load(writer, writerPrefix, "expiring", null).path("metadata").path("location").asText();
      String prefix = location.substring(("s3://" + bucket + "/").length()) + "/";
      try (S3Client admin = s3.adminClient()) {
        assertThat(admin.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents()).hasSize(2);
        check(writer.delete("/v1/" + writerPrefix + "/namespaces/sales/tables/expiring?purgeRequested=true"), 204);
        // soft-dropped: hidden, its files kept until it expires
        assertThat(get(writer, "/v1/" + writerPrefix + "/namespaces/sales/tables/expiring", null).statusCode()).isEqualTo(404);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!admin.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(admin.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents()).as("purged once expired").isEmpty();
        // the purge is a task run, counted once it has returned, by whichever server over this
        // database leased it (the twin shares the writer's)
        java.util.regex.Pattern purged =
            java.util.regex.Pattern.compile("floe_task_runs_seconds_count\\{kind=\"purge-table\",outcome=\"succeeded\"\\} [1-9]");
        java.util.function.Supplier<String> metrics = () -> writer.get("/metrics").body() + twin.get("/metrics").body();
        while (!purged.matcher(metrics.get()).find() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(metrics.get()).containsPattern(purged);
      }
    } finally {
      writer.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(writer.uri(profile)))
          .header("Content-Type", "application/json")
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"hard\"}")).build());
    }
  }

  @Test
  @Order(100)
  void credentialsStopWorkingAfterTheyExpireAndTheSecretIsNeverShown() throws Exception {
    Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(earlyCredential.path("s3.session-token-expires-at-ms").asText()));
    // the S3 test server caps sessions (30 s), so this waits seconds, not STS's 15 minutes
    assertThat(Duration.between(Instant.now(), expiresAt)).isLessThan(Duration.ofMinutes(2));
    long wait = Duration.between(Instant.now(), expiresAt).toMillis() + 1500;
    if (wait > 0) {
      Thread.sleep(wait);
    }
    JsonNode a = load(reader, readerPrefix, "a", null);
    try (S3Client expired = vendedClient(earlyCredential)) {
      assertDenied(() -> read(expired, a.path("metadata-location").asText()));
    }
    System.err.flush();
    assertThat(responses).isNotEmpty().noneMatch(body -> body.contains(s3.secretKey()));
    assertThat(log.toString(StandardCharsets.UTF_8)).isNotEmpty().doesNotContain(s3.secretKey());
  }

  // ---- helpers

  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }

  /** Whether a condition holds within five seconds. */
  private static boolean eventually(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return true;
      }
      Thread.sleep(100);
    }
    return check.holds();
  }

  private static String createWarehouse(TestServer server, String name, String prefix) throws Exception {
    HttpResponse<String> created =
        post(server, "/management/v1/projects/storage/warehouses", s3.warehouseJson(name, bucket, prefix, ""));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).path("id").asText();
  }

  private static String warehouseId(TestServer server) throws Exception {
    return JSON.readTree(server.get("/management/v1/projects/storage/warehouses").body())
        .path("warehouses").get(0).path("id").asText();
  }

  private static String profile(String prefix, String extra) {
    return """
        {"type":"s3","bucket":"%s","key-prefix":"%s","region":"%s","endpoint":"%s","path-style-access":true,"role-arn":"%s"%s}"""
        .formatted(bucket, prefix, S3TestService.REGION, s3.endpoint(), s3.roleArn(), extra);
  }

  private static String table(String name) {
    return "{\"name\":\"" + name + "\",\"schema\":{\"type\":\"struct\",\"fields\":["
        + "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";
  }

  private static String tableAt(String name, String location) {
    return table(name).replaceFirst("^\\{", "{\"location\":\"" + location + "\",");
  }

  private static JsonNode load(TestServer server, String prefix, String name, String delegation) throws Exception {
    HttpResponse<String> response =
        get(server, "/v1/" + prefix + "/namespaces/sales/tables/" + name, delegation);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode storageConfig(JsonNode loaded) {
    JsonNode credentials = loaded.path("storage-credentials");
    return credentials.isArray() && !credentials.isEmpty() ? credentials.get(0).path("config") : JSON.createObjectNode();
  }

  private static HttpResponse<String> get(TestServer server, String path, String delegation) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri(path))).GET();
    if (delegation != null) {
      request.header(DELEGATION, delegation);
    }
    return record(server.send(request.build()));
  }

  private static HttpResponse<String> send(TestServer server, String method, String path, String body, String delegation) {
    return record(
        server.send(
            HttpRequest.newBuilder(URI.create(server.uri(path)))
                .header("Content-Type", "application/json")
                .header(DELEGATION, delegation)
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build()));
  }

  private static HttpResponse<String> post(TestServer server, String path, String body) {
    return record(server.post(path, body));
  }

  private static HttpResponse<String> put(TestServer server, String path, String body) {
    return record(
        server.send(
            HttpRequest.newBuilder(URI.create(server.uri(path)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build()));
  }

  private static HttpResponse<String> record(HttpResponse<String> response) {
    synchronized (responses) {
      responses.add(response.body());
    }
    return response;
  }

  private static void check(HttpResponse<String> response, int status) {
    record(response);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
  }

  private static S3Client vendedClient(JsonNode config) {
    return s3.client(
        config.path("s3.access-key-id").asText(),
        config.path("s3.secret-access-key").asText(),
        config.path("s3.session-token").asText());
  }

  private static String key(String location) {
    return location.substring(("s3://" + bucket + "/").length());
  }

  private static String read(S3Client client, String location) {
    return client.getObjectAsBytes(r -> r.bucket(bucket).key(key(location))).asUtf8String();
  }

  private static int list(S3Client client, String location) {
    return client.listObjectsV2(r -> r.bucket(bucket).prefix(key(location) + "/")).keyCount();
  }

  private static void write(S3Client client, String location) {
    client.putObject(r -> r.bucket(bucket).key(key(location)), RequestBody.fromString("data"));
  }

  private static void delete(S3Client client, String location) {
    client.deleteObject(r -> r.bucket(bucket).key(key(location)));
  }

  private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
  }
}
