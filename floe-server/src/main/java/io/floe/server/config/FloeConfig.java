package io.floe.server.config;

import static io.floe.server.config.Settings.DEFAULTS;

import io.floe.spi.storage.AccessLevel;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import io.floe.store.postgres.DatabaseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Floe's configuration, read once at start from environment variables and an optional
 * properties file ({@code FLOE_CONFIG_FILE}) that uses the same names; the environment wins.
 * docs/configuration.md lists every key.
 */
public record FloeConfig(
    String bindAddress,
    int port,
    String databaseUrl,
    String databaseReadUrl,
    String databaseUser,
    String databasePassword,
    int writePoolSize,
    int readPoolSize,
    Duration databaseConnectTimeout,
    long maxRequestBodyBytes,
    Path dataDir,
    int embeddedPostgresPort,
    boolean bootstrapDemo,
    String demoWarehouseRoot,
    List<String> demoExtraLocations,
    int commitMaxAttempts,
    Duration warehouseCacheLifetime,
    Duration idempotencyKeyLifetime,
    String secretKeys,
    Integer secretKeyVersion,
    AccessLevel vendedCredentialsAccess,
    Duration vendedCredentialsLifetime,
    int credentialCacheSize,
    int credentialCacheLifetimePercent,
    int warehouseCacheSize,
    Duration pointerCacheHeartbeat,
    Duration pointerCacheMaxAge,
    int tableMetadataCacheMegabytes,
    int tableResponseCacheMegabytes,
    List<OpenIdProvider> openIdProviders,
    Authorization authorization,
    Events events,
    Operations operations) {

  /**
   * How the process behaves for its operators.
   *
   * @param shutdownDelay at stop, how long Floe goes on serving with readiness off, so that load
   *     balancers take it out of rotation before its port closes
   * @param shutdownTimeout then, how long requests in flight may take to finish
   * @param jsonLogs whether log lines are JSON objects (with the request id) instead of text
   * @param tracing where request spans go (OTLP over HTTP), or null: no traces
   * @param logLevels levels by logger name ({@code root} for all), over the defaults
   */
  public record Operations(
      Duration shutdownDelay, Duration shutdownTimeout, boolean jsonLogs, Tracing tracing, Map<String, String> logLevels) {
    public Operations {
      logLevels = Map.copyOf(logLevels);
    }

    public Operations(Duration shutdownDelay, Duration shutdownTimeout, boolean jsonLogs) {
      this(shutdownDelay, shutdownTimeout, jsonLogs, null, Map.of());
    }
  }

  /**
   * OpenTelemetry traces: one span per request, exported with OTLP over HTTP.
   *
   * @param endpoint the collector's traces URL, such as {@code http://collector:4318/v1/traces}
   * @param sampleRatio the part of new traces that are recorded (a caller's sampled trace always is)
   */
  public record Tracing(java.net.URI endpoint, double sampleRatio) {}

  /**
   * Where the outbox's events go, besides the events feed (always on).
   *
   * @param log whether each event is also written to the log
   * @param nats NATS JetStream's settings ({@code FLOE_EVENTS_NATS_*}) for its event backend, or null
   * @param kafka Kafka's settings ({@code FLOE_EVENTS_KAFKA_*}, and {@code producer.<name>} for each
   *     property of {@code FLOE_EVENTS_KAFKA_PROPERTIES_FILE}), or null
   * @param retention how long events stay in the outbox (and the feed)
   */
  public record Events(boolean log, Map<String, String> nats, Map<String, String> kafka, Duration retention) {
    /** Without the credentials. */
    @Override
    public String toString() {
      return "Events[log " + log + (nats == null ? "" : ", NATS " + nats.get("FLOE_EVENTS_NATS_URL"))
          + (kafka == null ? "" : ", Kafka " + kafka.get("FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS")) + ", retention " + retention
          + "]";
    }
  }

  /**
   * Which authorizer decides, and how to reach OpenFGA when it is that.
   *
   * @param backend {@code allow-all} or {@code openfga}
   * @param openFga OpenFGA's settings ({@code FLOE_OPENFGA_*} and {@code FLOE_AUTHZ_CACHE_SECONDS})
   *     for its authorizer backend; null with allow-all
   */
  public record Authorization(String backend, Map<String, String> openFga) {
    /** Without the credentials. */
    @Override
    public String toString() {
      return "Authorization[" + backend
          + (openFga == null ? "" : ", " + openFga.get("FLOE_OPENFGA_ENDPOINT") + ", store " + openFga.get("FLOE_OPENFGA_STORE"))
          + "]";
    }
  }

  /**
   * An OpenID provider whose tokens the server accepts.
   *
   * @param name the prefix of its principals' ids
   * @param rolesClaim the claim (a dotted path) listing the caller's roles, or null
   */
  public record OpenIdProvider(
      String name,
      String issuer,
      List<String> audiences,
      String subjectClaim,
      String rolesClaim,
      Duration clockSkew,
      boolean kubernetes) {}


  public boolean embeddedDatabase() {
    return databaseUrl == null;
  }

  /** Reads the configuration from the process environment (and the file it may name). */
  public static FloeConfig load(Map<String, String> environment) {
    Map<String, String> values = new HashMap<>();
    String file = environment.get("FLOE_CONFIG_FILE");
    if (file != null && !file.isBlank()) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(Path.of(file))) {
        properties.load(reader);
      } catch (IOException e) {
        throw new ConfigException("FLOE_CONFIG_FILE: cannot read %s: %s", file, e.getMessage());
      }
      for (String key : properties.stringPropertyNames()) {
        if (!DEFAULTS.containsKey(key)) {
          throw new ConfigException("FLOE_CONFIG_FILE %s: unknown key %s", file, key);
        }
        values.put(key, properties.getProperty(key).trim());
      }
    }
    for (String key : DEFAULTS.keySet()) {
      String value = environment.get(key);
      if (value != null) {
        values.put(key, value.trim());
      }
    }
    Values reader = new Values(values);
    Path dataDir = Path.of(reader.text("FLOE_DATA_DIR")).toAbsolutePath().normalize();
    String demoRoot = reader.optional("FLOE_DEMO_WAREHOUSE_ROOT");
    if (demoRoot == null) {
      demoRoot = dataDir.resolve("warehouses").resolve("demo").toString();
    } else if (!demoRoot.startsWith("/") && !demoRoot.startsWith("file:")) {
      throw new ConfigException("FLOE_DEMO_WAREHOUSE_ROOT must be an absolute path, got '%s'", demoRoot);
    }
    List<String> extra = new ArrayList<>();
    String extraText = reader.optional("FLOE_DEMO_EXTRA_LOCATIONS");
    if (extraText == null) {
      extra.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString());
    } else if (!extraText.equals("none")) {
      for (String location : extraText.split(",")) {
        if (!location.isBlank()) {
          extra.add(location.trim());
        }
      }
    }
    String url = reader.optional("FLOE_DATABASE_URL");
    if (url != null && !url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("FLOE_DATABASE_URL must start with jdbc:postgresql:, got '%s'", url);
    }
    String readUrl = reader.optional("FLOE_DATABASE_READ_URL");
    if (readUrl != null && !readUrl.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("FLOE_DATABASE_READ_URL must start with jdbc:postgresql:, got '%s'", readUrl);
    }
    if (readUrl != null && url == null) {
      throw new ConfigException("FLOE_DATABASE_READ_URL needs FLOE_DATABASE_URL (the primary) as well");
    }
    return new FloeConfig(
        reader.text("FLOE_BIND_ADDRESS"),
        reader.integer("FLOE_PORT", 0, 65535),
        url,
        readUrl,
        reader.optional("FLOE_DATABASE_USER"),
        reader.optional("FLOE_DATABASE_PASSWORD"),
        reader.integer("FLOE_DATABASE_WRITE_POOL_SIZE", 1, 1000),
        reader.integer("FLOE_DATABASE_READ_POOL_SIZE", 1, 1000),
        Duration.ofSeconds(reader.integer("FLOE_DATABASE_CONNECT_TIMEOUT_SECONDS", 1, 600)),
        reader.integer("FLOE_MAX_REQUEST_BODY_BYTES", 1024, Integer.MAX_VALUE),
        dataDir,
        reader.integer("FLOE_EMBEDDED_POSTGRES_PORT", 0, 65535),
        reader.bool("FLOE_BOOTSTRAP_DEMO"),
        demoRoot,
        List.copyOf(extra),
        reader.integer("FLOE_COMMIT_MAX_ATTEMPTS", 1, 100),
        Duration.ofSeconds(reader.integer("FLOE_WAREHOUSE_CACHE_SECONDS", 0, 86400)),
        Duration.ofSeconds(reader.integer("FLOE_IDEMPOTENCY_KEY_LIFETIME_SECONDS", 60, 7 * 86400)),
        reader.optional("FLOE_SECRET_KEYS"),
        reader.optional("FLOE_SECRET_KEY_VERSION") == null
            ? null
            : reader.integer("FLOE_SECRET_KEY_VERSION", 1, Integer.MAX_VALUE),
        reader.accessLevel("FLOE_VENDED_CREDENTIALS_ACCESS"),
        // STS accepts 15 minutes to 12 hours; a lifetime it would refuse is refused here
        Duration.ofSeconds(reader.integer("FLOE_VENDED_CREDENTIALS_LIFETIME_SECONDS", 900, 43200)),
        reader.integer("FLOE_CREDENTIAL_CACHE_SIZE", 0, 10_000_000),
        reader.integer("FLOE_CREDENTIAL_CACHE_LIFETIME_PERCENT", 0, 90),
        reader.integer("FLOE_WAREHOUSE_CACHE_SIZE", 1, 10_000_000),
        Duration.ofMillis(reader.integer("FLOE_POINTER_CACHE_HEARTBEAT_MILLIS", 100, 60_000)),
        Duration.ofSeconds(reader.integer("FLOE_POINTER_CACHE_MAX_AGE_SECONDS", 1, 3600)),
        reader.cacheMegabytes("FLOE_TABLE_METADATA_CACHE_MB"),
        reader.cacheMegabytes("FLOE_TABLE_RESPONSE_CACHE_MB"),
        openIdProviders(reader),
        authorization(reader),
        events(reader),
        new Operations(
            Duration.ofSeconds(reader.integer("FLOE_SHUTDOWN_DELAY_SECONDS", 0, 300)),
            Duration.ofSeconds(reader.integer("FLOE_SHUTDOWN_TIMEOUT_SECONDS", 0, 3600)),
            logFormat(reader.text("FLOE_LOG_FORMAT")),
            tracing(reader),
            logLevels(java.util.Objects.requireNonNullElse(reader.optional("FLOE_LOG_LEVELS"), ""))));
  }

  private static final java.util.Set<String> LEVELS = java.util.Set.of("trace", "debug", "info", "warn", "error", "off");

  /** {@code logger=level,...}, as in {@code floe.request=warn,io.floe=debug}. */
  private static Map<String, String> logLevels(String text) {
    Map<String, String> levels = new java.util.LinkedHashMap<>();
    for (String item : text.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      int equals = item.indexOf('=');
      String logger = equals < 0 ? "" : item.substring(0, equals).trim();
      String level = equals < 0 ? "" : item.substring(equals + 1).trim().toLowerCase(java.util.Locale.ROOT);
      if (logger.isEmpty() || !LEVELS.contains(level)) {
        throw new ConfigException(
            "FLOE_LOG_LEVELS must be logger=level pairs separated by commas (levels: trace, debug, info, warn, error, off), got '%s'",
            text);
      }
      levels.put(logger, level);
    }
    return levels;
  }

  private static Tracing tracing(Values reader) {
    String endpoint = reader.optional("FLOE_TRACING_OTLP_ENDPOINT");
    String ratio = reader.text("FLOE_TRACING_SAMPLE_RATIO");
    double sampleRatio;
    try {
      sampleRatio = Double.parseDouble(ratio);
    } catch (NumberFormatException e) {
      sampleRatio = Double.NaN;
    }
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new ConfigException("FLOE_TRACING_SAMPLE_RATIO must be a number between 0 and 1, got '%s'", ratio);
    }
    if (endpoint == null) {
      return null;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new ConfigException("FLOE_TRACING_OTLP_ENDPOINT must be an http or https URL, got '%s'", endpoint);
    }
    return new Tracing(uri, sampleRatio);
  }

  private static boolean logFormat(String format) {
    return switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "json" -> true;
      case "text" -> false;
      default -> throw new ConfigException("FLOE_LOG_FORMAT must be text or json, got '%s'", format);
    };
  }

  private static Events events(Values reader) {
    Map<String, String> nats = null;
    if (reader.optional("FLOE_EVENTS_NATS_URL") != null) {
      // refused when set empty: the backend needs it
      reader.text("FLOE_EVENTS_NATS_SUBJECT_PREFIX");
      nats = settings(
          reader, "FLOE_EVENTS_NATS_URL", "FLOE_EVENTS_NATS_SUBJECT_PREFIX", "FLOE_EVENTS_NATS_STREAM", "FLOE_EVENTS_NATS_TOKEN",
          "FLOE_EVENTS_NATS_USER", "FLOE_EVENTS_NATS_PASSWORD", "FLOE_EVENTS_NATS_CREDENTIALS_FILE");
    }
    Map<String, String> kafka = null;
    if (reader.optional("FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS") != null) {
      // refused when set empty: the backend needs it
      reader.text("FLOE_EVENTS_KAFKA_TOPIC");
      Map<String, String> extra = new HashMap<>(settings(reader, "FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS", "FLOE_EVENTS_KAFKA_TOPIC"));
      String file = reader.optional("FLOE_EVENTS_KAFKA_PROPERTIES_FILE");
      if (file != null) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file))) {
          properties.load(in);
        } catch (IOException e) {
          throw new ConfigException("FLOE_EVENTS_KAFKA_PROPERTIES_FILE: cannot read %s: %s", file, e.getMessage());
        }
        properties.stringPropertyNames().forEach(key -> extra.put("producer." + key, properties.getProperty(key).trim()));
      }
      kafka = Map.copyOf(extra);
    }
    return new Events(
        reader.bool("FLOE_EVENTS_LOG"), nats, kafka,
        Duration.ofSeconds(reader.integer("FLOE_EVENTS_RETENTION_SECONDS", 60, Integer.MAX_VALUE)));
  }

  private static Authorization authorization(Values reader) {
    String backend = reader.text("FLOE_AUTHZ_BACKEND").toLowerCase(java.util.Locale.ROOT);
    Duration cache = Duration.ofSeconds(reader.integer("FLOE_AUTHZ_CACHE_SECONDS", 0, 3600));
    if (backend.equals("allow-all")) {
      return new Authorization(backend, null);
    }
    if (!backend.equals("openfga")) {
      throw new ConfigException("FLOE_AUTHZ_BACKEND must be allow-all or openfga, got '%s'", backend);
    }
    String endpoint = reader.optional("FLOE_OPENFGA_ENDPOINT");
    if (endpoint == null) {
      throw new ConfigException("FLOE_AUTHZ_BACKEND=openfga needs FLOE_OPENFGA_ENDPOINT (its HTTP API, e.g. http://openfga:8080)");
    }
    java.net.URI uri;
    try {
      uri = java.net.URI.create(endpoint);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("FLOE_OPENFGA_ENDPOINT must be an http(s) URL, got '%s'", endpoint);
    }
    String clientId = reader.optional("FLOE_OPENFGA_CLIENT_ID");
    String tokenEndpoint = reader.optional("FLOE_OPENFGA_TOKEN_ENDPOINT");
    if (clientId != null && (reader.optional("FLOE_OPENFGA_CLIENT_SECRET") == null || tokenEndpoint == null)) {
      throw new ConfigException("FLOE_OPENFGA_CLIENT_ID needs FLOE_OPENFGA_CLIENT_SECRET and FLOE_OPENFGA_TOKEN_ENDPOINT");
    }
    // refused when set empty: the backend needs it
    reader.text("FLOE_OPENFGA_STORE");
    Map<String, String> openFga = new HashMap<>(settings(
        reader, "FLOE_OPENFGA_ENDPOINT", "FLOE_OPENFGA_STORE", "FLOE_OPENFGA_API_TOKEN", "FLOE_OPENFGA_CLIENT_ID",
        "FLOE_OPENFGA_CLIENT_SECRET", "FLOE_OPENFGA_TOKEN_ENDPOINT", "FLOE_OPENFGA_AUDIENCE", "FLOE_OPENFGA_SCOPES"));
    openFga.put("FLOE_AUTHZ_CACHE_SECONDS", Long.toString(cache.toSeconds()));
    return new Authorization(backend, Map.copyOf(openFga));
  }

  /** A backend's settings: these variables, as read, those unset left out. */
  private static Map<String, String> settings(Values reader, String... keys) {
    Map<String, String> settings = new HashMap<>();
    for (String key : keys) {
      String value = reader.optional(key);
      if (value != null) {
        settings.put(key, value);
      }
    }
    return Map.copyOf(settings);
  }

  /**
   * The OpenID providers: FLOE_OPENID_PROVIDER_URI (named {@code oidc}), and each entry of
   * FLOE_OPENID_ADDITIONAL_PROVIDERS, {@code name=issuer} or {@code name=issuer|audience},
   * separated by commas. They share the subject claim, roles claim and clock skew.
   */
  private static List<OpenIdProvider> openIdProviders(Values reader) {
    List<OpenIdProvider> providers = new ArrayList<>();
    String subject = reader.text("FLOE_OPENID_SUBJECT_CLAIM");
    String roles = reader.optional("FLOE_OPENID_ROLES_CLAIM");
    Duration skew = Duration.ofSeconds(reader.integer("FLOE_OPENID_CLOCK_SKEW_SECONDS", 0, 600));
    String issuer = reader.optional("FLOE_OPENID_PROVIDER_URI");
    String audience = reader.optional("FLOE_OPENID_AUDIENCE");
    if (issuer != null) {
      providers.add(
          new OpenIdProvider(
              "oidc", issuer, audience == null ? List.of() : List.of(audience.split(",")), subject, roles, skew, false));
    }
    String more = reader.optional("FLOE_OPENID_ADDITIONAL_PROVIDERS");
    if (more != null) {
      for (String entry : more.split(",")) {
        String[] nameAndRest = entry.trim().split("=", 2);
        if (nameAndRest.length != 2 || !nameAndRest[0].matches("[a-z0-9-]+")) {
          throw new ConfigException(
              "FLOE_OPENID_ADDITIONAL_PROVIDERS: expected name=issuer or name=issuer|audience, got '%s'", entry.trim());
        }
        String[] issuerAndAudience = nameAndRest[1].split("\\|", 2);
        providers.add(
            new OpenIdProvider(
                nameAndRest[0], issuerAndAudience[0],
                issuerAndAudience.length == 2 ? List.of(issuerAndAudience[1]) : List.of(), subject, roles, skew,
                false));
      }
    }
    String cluster = reader.optional("FLOE_KUBERNETES_ISSUER");
    if (cluster != null) {
      String clusterAudience = reader.optional("FLOE_KUBERNETES_AUDIENCE");
      providers.add(
          new OpenIdProvider(
              "kubernetes", cluster, clusterAudience == null ? List.of() : List.of(clusterAudience.split(",")), "sub",
              null, skew, true));
    }
    return List.copyOf(providers);
  }

  @Override
  public String toString() {
    // never print the database password or the secret keys
    return "FloeConfig[bind=%s:%d, database=%s, readDatabase=%s, dataDir=%s]"
        .formatted(
            bindAddress, port, databaseUrl == null ? "embedded" : DatabaseConfig.redact(databaseUrl),
            DatabaseConfig.redact(databaseReadUrl), dataDir);
  }

  /** A table cache's default size for a heap of {@code maxHeapBytes}: 16 MB, or an eighth of the heap if less. */
  static int cacheDefault(long maxHeapBytes) {
    return (int) Math.max(1, Math.min(16, maxHeapBytes / 8 / (1024 * 1024)));
  }

  private record Values(Map<String, String> values) {
    private String raw(String key) {
      if (!DEFAULTS.containsKey(key)) {
        // every key read must be in Settings, so that the reference lists it
        throw new IllegalStateException(key + " is not in Settings.ALL");
      }
      return values.getOrDefault(key, DEFAULTS.get(key));
    }

    String text(String key) {
      String value = raw(key);
      if (value == null || value.isBlank()) {
        throw new ConfigException("%s must not be empty", key);
      }
      return value;
    }

    String optional(String key) {
      String value = raw(key);
      return value == null || value.isBlank() ? null : value;
    }

    /**
     * A table cache's size: as set, else 16 MB or an eighth of the heap if less, so that the two
     * table caches together never hold more than a quarter of a small heap.
     */
    int cacheMegabytes(String key) {
      if (optional(key) != null) {
        return integer(key, 0, 65536);
      }
      return cacheDefault(Runtime.getRuntime().maxMemory());
    }

    int integer(String key, int min, int max) {
      String value = text(key);
      try {
        int parsed = Integer.parseInt(value);
        if (parsed < min || parsed > max) {
          throw new ConfigException("%s must be between %d and %d, got '%s'", key, min, max, value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new ConfigException("%s must be an integer, got '%s'", key, value);
      }
    }

    AccessLevel accessLevel(String key) {
      try {
        return AccessLevel.parse(text(key));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("%s: %s", key, e.getMessage());
      }
    }

    boolean bool(String key) {
      String value = text(key);
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "true", "yes", "1" -> true;
        case "false", "no", "0" -> false;
        default -> throw new ConfigException("%s must be true or false, got '%s'", key, value);
      };
    }
  }
}
