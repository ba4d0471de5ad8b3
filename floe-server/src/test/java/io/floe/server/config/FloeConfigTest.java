package io.floe.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.storage.AccessLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloeConfigTest {
  @Test
  void defaultsRunOnLoopbackWithTheEmbeddedDatabase() {
    FloeConfig config = FloeConfig.load(Map.of());
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8181);
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.databaseReadUrl()).isNull();
    assertThat(config.writePoolSize()).isEqualTo(10);
    assertThat(config.readPoolSize()).isEqualTo(10);
    assertThat(config.databaseConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxRequestBodyBytes()).isEqualTo(10 * 1024 * 1024);
    assertThat(config.dataDir()).isEqualTo(Path.of("floe-data").toAbsolutePath());
    assertThat(config.bootstrapDemo()).isTrue();
    assertThat(config.demoWarehouseRoot()).isEqualTo(Path.of("floe-data/warehouses/demo").toAbsolutePath().toString());
    assertThat(config.demoExtraLocations()).containsExactly(Path.of(System.getProperty("java.io.tmpdir")).toString());
    assertThat(config.commitMaxAttempts()).isEqualTo(10);
    assertThat(config.warehouseCacheLifetime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.idempotencyKeyLifetime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.secretKeys()).isNull();
    assertThat(config.secretKeyVersion()).isNull();
    assertThat(config.vendedCredentialsAccess()).isEqualTo(AccessLevel.READ_WRITE);
    assertThat(config.vendedCredentialsLifetime()).isEqualTo(Duration.ofHours(1));
    assertThat(config.credentialCacheSize()).isEqualTo(10_000);
    assertThat(config.credentialCacheLifetimePercent()).isEqualTo(50);
    assertThat(config.warehouseCacheSize()).isEqualTo(1_000);
    int tableCaches = FloeConfig.cacheDefault(Runtime.getRuntime().maxMemory());
    assertThat(config.tableMetadataCacheMegabytes()).isEqualTo(tableCaches);
    assertThat(config.tableResponseCacheMegabytes()).isEqualTo(tableCaches);
  }

  @Test
  void tableCachesTakeAnEighthOfASmallHeapEach() {
    assertThat(FloeConfig.cacheDefault(96L << 20)).isEqualTo(12);
    assertThat(FloeConfig.cacheDefault(128L << 20)).isEqualTo(16);
    assertThat(FloeConfig.cacheDefault(1L << 30)).isEqualTo(16);
    assertThat(FloeConfig.cacheDefault(4L << 20)).isEqualTo(1);
  }

  @Test
  void mapsEveryKey() {
    FloeConfig config =
        FloeConfig.load(
            Map.ofEntries(
                Map.entry("FLOE_BIND_ADDRESS", "::1"),
                Map.entry("FLOE_PORT", "9000"),
                Map.entry("FLOE_DATABASE_URL", "jdbc:postgresql://db/floe"),
                Map.entry("FLOE_DATABASE_READ_URL", "jdbc:postgresql://replica/floe"),
                Map.entry("FLOE_DATABASE_USER", "floe"),
                Map.entry("FLOE_DATABASE_PASSWORD", "secret"),
                Map.entry("FLOE_DATABASE_WRITE_POOL_SIZE", "7"),
                Map.entry("FLOE_DATABASE_READ_POOL_SIZE", "21"),
                Map.entry("FLOE_DATABASE_CONNECT_TIMEOUT_SECONDS", "3"),
                Map.entry("FLOE_MAX_REQUEST_BODY_BYTES", "2048"),
                Map.entry("FLOE_DATA_DIR", "/var/floe"),
                Map.entry("FLOE_EMBEDDED_POSTGRES_PORT", "5544"),
                Map.entry("FLOE_BOOTSTRAP_DEMO", "false"),
                Map.entry("FLOE_DEMO_WAREHOUSE_ROOT", "/lake/demo"),
                Map.entry("FLOE_DEMO_EXTRA_LOCATIONS", "/a,/b"),
                Map.entry("FLOE_COMMIT_MAX_ATTEMPTS", "3"),
                Map.entry("FLOE_WAREHOUSE_CACHE_SECONDS", "0"),
                Map.entry("FLOE_IDEMPOTENCY_KEY_LIFETIME_SECONDS", "3600"),
                Map.entry("FLOE_SECRET_KEYS", "1:key-one,2:key-two"),
                Map.entry("FLOE_SECRET_KEY_VERSION", "2"),
                Map.entry("FLOE_VENDED_CREDENTIALS_ACCESS", "read"),
                Map.entry("FLOE_VENDED_CREDENTIALS_LIFETIME_SECONDS", "1800"),
                Map.entry("FLOE_CREDENTIAL_CACHE_SIZE", "50"),
                Map.entry("FLOE_CREDENTIAL_CACHE_LIFETIME_PERCENT", "25"),
                Map.entry("FLOE_WAREHOUSE_CACHE_SIZE", "20"),
                Map.entry("FLOE_POINTER_CACHE_HEARTBEAT_MILLIS", "250"),
                Map.entry("FLOE_POINTER_CACHE_MAX_AGE_SECONDS", "5"),
                Map.entry("FLOE_TABLE_METADATA_CACHE_MB", "16"),
                Map.entry("FLOE_TABLE_RESPONSE_CACHE_MB", "8"),
                Map.entry("FLOE_OPENID_PROVIDER_URI", "https://id.example/realms/a"),
                Map.entry("FLOE_OPENID_AUDIENCE", "floe"),
                Map.entry("FLOE_OPENID_ROLES_CLAIM", "realm_access.roles"),
                Map.entry("FLOE_OPENID_CLOCK_SKEW_SECONDS", "30"),
                Map.entry("FLOE_OPENID_ADDITIONAL_PROVIDERS",
                    "partner=https://id.example/realms/b|lake, k8s=https://kubernetes.default.svc"),
                Map.entry("FLOE_KUBERNETES_ISSUER", "https://oidc.cluster.example"),
                Map.entry("FLOE_KUBERNETES_AUDIENCE", "floe"),
                Map.entry("FLOE_AUTHZ_BACKEND", "openfga"),
                Map.entry("FLOE_AUTHZ_CACHE_SECONDS", "2"),
                Map.entry("FLOE_OPENFGA_ENDPOINT", "http://fga:8080"),
                Map.entry("FLOE_OPENFGA_API_TOKEN", "fga-secret"),
                Map.entry("FLOE_EVENTS_LOG", "true"),
                Map.entry("FLOE_EVENTS_RETENTION_SECONDS", "3600"),
                Map.entry("FLOE_EVENTS_NATS_URL", "nats://nats:4222"),
                Map.entry("FLOE_EVENTS_NATS_TOKEN", "nats-secret"),
                Map.entry("FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
                Map.entry("FLOE_SHUTDOWN_DELAY_SECONDS", "5"),
                Map.entry("FLOE_SHUTDOWN_TIMEOUT_SECONDS", "40"),
                Map.entry("FLOE_LOG_FORMAT", "JSON"),
                Map.entry("FLOE_TRACING_OTLP_ENDPOINT", "http://collector:4318/v1/traces"),
                Map.entry("FLOE_TRACING_SAMPLE_RATIO", "0.25"),
                Map.entry("FLOE_LOG_LEVELS", "floe.request=WARN, io.floe=debug")));
    assertThat(config)
        .isEqualTo(
            new FloeConfig(
                "::1", 9000, "jdbc:postgresql://db/floe", "jdbc:postgresql://replica/floe", "floe", "secret", 7, 21,
                Duration.ofSeconds(3), 2048, Path.of("/var/floe"), 5544, false, "/lake/demo", List.of("/a", "/b"), 3,
                Duration.ZERO, Duration.ofHours(1), "1:key-one,2:key-two", 2, AccessLevel.READ, Duration.ofMinutes(30),
                50, 25, 20, Duration.ofMillis(250), Duration.ofSeconds(5), 16, 8,
                List.of(
                    new FloeConfig.OpenIdProvider(
                        "oidc", "https://id.example/realms/a", List.of("floe"), "sub", "realm_access.roles", Duration.ofSeconds(30),
                        false),
                    new FloeConfig.OpenIdProvider(
                        "partner", "https://id.example/realms/b", List.of("lake"), "sub", "realm_access.roles", Duration.ofSeconds(30),
                        false),
                    new FloeConfig.OpenIdProvider(
                        "k8s", "https://kubernetes.default.svc", List.of(), "sub", "realm_access.roles", Duration.ofSeconds(30),
                        false),
                    new FloeConfig.OpenIdProvider(
                        "kubernetes", "https://oidc.cluster.example", List.of("floe"), "sub", null, Duration.ofSeconds(30),
                        true)),
                new FloeConfig.Authorization(
                    "openfga",
                    Map.of(
                        "FLOE_OPENFGA_ENDPOINT", "http://fga:8080", "FLOE_OPENFGA_STORE", "floe",
                        "FLOE_OPENFGA_API_TOKEN", "fga-secret", "FLOE_AUTHZ_CACHE_SECONDS", "2")),
                new FloeConfig.Events(
                    true,
                    Map.of(
                        "FLOE_EVENTS_NATS_URL", "nats://nats:4222", "FLOE_EVENTS_NATS_SUBJECT_PREFIX", "floe",
                        "FLOE_EVENTS_NATS_STREAM", "FLOE", "FLOE_EVENTS_NATS_TOKEN", "nats-secret"),
                    Map.of("FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "FLOE_EVENTS_KAFKA_TOPIC", "floe-events"),
                    Duration.ofHours(1)),
                new FloeConfig.Operations(
                    Duration.ofSeconds(5), Duration.ofSeconds(40), true,
                    new FloeConfig.Tracing(java.net.URI.create("http://collector:4318/v1/traces"), 0.25),
                    Map.of("floe.request", "warn", "io.floe", "debug"))));
    assertThat(config.toString()).doesNotContain("secret").doesNotContain("key-one").doesNotContain("fga-secret");
    FloeConfig withPasswordInUrl =
        FloeConfig.load(
            Map.of(
                "FLOE_DATABASE_URL", "jdbc:postgresql://db/floe?user=floe&password=hunter2&sslmode=require",
                "FLOE_DATABASE_READ_URL", "jdbc:postgresql://floe:hunter3@replica/floe"));
    assertThat(withPasswordInUrl.toString())
        .doesNotContain("hunter2").doesNotContain("hunter3").contains("password=***").contains("sslmode=require");
  }

  @Test
  void readsAnOptionalFileThatTheEnvironmentOverrides(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("floe.properties");
    Files.writeString(file, "FLOE_PORT=9100\nFLOE_BIND_ADDRESS=::1\n");
    FloeConfig config = FloeConfig.load(Map.of("FLOE_CONFIG_FILE", file.toString(), "FLOE_PORT", "9200"));
    assertThat(config.port()).isEqualTo(9200);
    assertThat(config.bindAddress()).isEqualTo("::1");
    Files.writeString(file, "FLOE_PROT=1\n");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("unknown key FLOE_PROT");
  }

  @Test
  void badValuesFailWithOneClearLine() {
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_PORT", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("FLOE_PORT must be an integer, got 'http'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_PORT", "70000")))
        .hasMessage("FLOE_PORT must be between 0 and 65535, got '70000'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_DATABASE_URL", "postgres://x")))
        .hasMessage("FLOE_DATABASE_URL must start with jdbc:postgresql:, got 'postgres://x'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_DATABASE_READ_URL", "jdbc:postgresql://r/x")))
        .hasMessage("FLOE_DATABASE_READ_URL needs FLOE_DATABASE_URL (the primary) as well");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_BOOTSTRAP_DEMO", "maybe")))
        .hasMessage("FLOE_BOOTSTRAP_DEMO must be true or false, got 'maybe'");
    // STS refuses sessions under 15 minutes: such a lifetime is refused at start, not at first use
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_VENDED_CREDENTIALS_LIFETIME_SECONDS", "600")))
        .hasMessage("FLOE_VENDED_CREDENTIALS_LIFETIME_SECONDS must be between 900 and 43200, got '600'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_VENDED_CREDENTIALS_ACCESS", "write")))
        .hasMessage("FLOE_VENDED_CREDENTIALS_ACCESS: expected read or read-write, got 'write'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_TRACING_OTLP_ENDPOINT", "collector:4318")))
        .hasMessage("FLOE_TRACING_OTLP_ENDPOINT must be an http or https URL, got 'collector:4318'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_TRACING_SAMPLE_RATIO", "2")))
        .hasMessage("FLOE_TRACING_SAMPLE_RATIO must be a number between 0 and 1, got '2'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_TRACING_SAMPLE_RATIO", "NaN")))
        .hasMessage("FLOE_TRACING_SAMPLE_RATIO must be a number between 0 and 1, got 'NaN'");
    assertThatThrownBy(() -> FloeConfig.load(Map.of("FLOE_LOG_LEVELS", "floe.request=quiet")))
        .hasMessageStartingWith("FLOE_LOG_LEVELS must be logger=level pairs");
  }
}
