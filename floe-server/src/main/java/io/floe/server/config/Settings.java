package io.floe.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every variable Floe reads, with its default and what it means: the one list that {@link
 * FloeConfig} reads by, {@code floe config reference} prints, and the table in
 * docs/configuration.md is checked against (by a test), so that the reference cannot drift from
 * the code.
 */
public final class Settings {
  private Settings() {}

  /**
   * One variable.
   *
   * @param key its name, in the environment and in {@code FLOE_CONFIG_FILE}
   * @param value the default the code uses, {@code ""} for none
   * @param shown the default as the reference states it
   * @param meaning what it does, in Markdown
   * @param inFile whether {@code FLOE_CONFIG_FILE} may set it too
   */
  public record Setting(String key, String value, String shown, String meaning, boolean inFile) {}

  public static final List<Setting> ALL =
      List.of(
      setting("FLOE_BIND_ADDRESS", "127.0.0.1",
          "address the HTTP server binds"),
      setting("FLOE_PORT", "8181",
          "HTTP port (`0` picks a free one)"),
      setting("FLOE_DATABASE_URL", "",
          "JDBC URL of the primary PostgreSQL (`jdbc:postgresql://host:5432/db`). When absent, Floe runs its own embedded PostgreSQL under `FLOE_DATA_DIR`."),
      setting("FLOE_DATABASE_READ_URL", "",
          "JDBC URL of a read replica. When set, list and load operations read from it and **may lag the primary** by the replication delay; a commit, and every read inside a commit, uses the primary."),
      setting("FLOE_DATABASE_USER", "",
          "the user Floe connects to both URLs as (it may also be given in the URLs)"),
      setting("FLOE_DATABASE_PASSWORD", "",
          "that user's password (it may also be given in the URLs)"),
      setting("FLOE_DATABASE_WRITE_POOL_SIZE", "10",
          "connections to the primary"),
      setting("FLOE_DATABASE_READ_POOL_SIZE", "10",
          "connections to the replica (unused without `FLOE_DATABASE_READ_URL`)"),
      setting("FLOE_DATABASE_CONNECT_TIMEOUT_SECONDS", "5",
          "how long to wait for a connection; also how long start waits for the database; a commit whose answer was lost is looked into for twice this long before it is reported as unknown"),
      setting("FLOE_MAX_REQUEST_BODY_BYTES", "10485760",
          "larger request bodies get `413`"),
      setting("FLOE_DATA_DIR", "floe-data", "`./floe-data`",
          "embedded PostgreSQL (binaries, data, generated password) and the `demo` warehouse"),
      setting("FLOE_EMBEDDED_POSTGRES_PORT", "0",
          "loopback port of the embedded PostgreSQL (`0` picks a free one)"),
      setting("FLOE_BOOTSTRAP_DEMO", "true",
          "create the `default` project and its `demo` warehouse when missing"),
      setting("FLOE_DEMO_WAREHOUSE_ROOT", "", "`$FLOE_DATA_DIR/warehouses/demo`",
          "where `demo` keeps its tables"),
      setting("FLOE_DEMO_EXTRA_LOCATIONS", "", "the system temp directory",
          "comma-separated extra location roots allowed in `demo` (`none` for none); the temp directory is there so that Iceberg's test suites, which ask for `/tmp` locations, run unchanged"),
      setting("FLOE_COMMIT_MAX_ATTEMPTS", "10",
          "how often a commit whose compare-and-swap lost is replayed on the new base before `409`"),
      setting("FLOE_POINTER_CACHE_HEARTBEAT_MILLIS", "1000",
          "how often the table-pointer cache proves its listening connection with a round trip; with no answered heartbeat for three of these it serves nothing (see docs/architecture.md, \"How loads stay fresh\")"),
      setting("FLOE_POINTER_CACHE_MAX_AGE_SECONDS", "30",
          "the longest a cached table pointer is served after it was read, whatever notifications say"),
      setting("FLOE_TABLE_METADATA_CACHE_MB", "", "`16`, or an eighth of the heap (`-Xmx`) if less",
          "parsed table metadata kept in memory by metadata location, weighed by an estimate of its size (snapshots and their summaries, the metadata and snapshot logs, properties, schema fields)"),
      setting("FLOE_TABLE_RESPONSE_CACHE_MB", "", "`16`, or an eighth of the heap (`-Xmx`) if less",
          "serialized load-table responses kept in memory by metadata location"),
      setting("FLOE_OPENID_PROVIDER_URI", "",
          "the issuer of an OpenID provider whose bearer tokens Floe accepts (discovery at `/.well-known/openid-configuration` under it); without it authentication is off and every caller is anonymous"),
      setting("FLOE_OPENID_AUDIENCE", "",
          "what a token's `aud` must contain (comma-separated: any of them); empty to accept any audience"),
      setting("FLOE_OPENID_SUBJECT_CLAIM", "sub",
          "the claim that names the caller; a principal's id is `<provider>~<value>` (`oidc~…` for this provider)"),
      setting("FLOE_OPENID_ROLES_CLAIM", "",
          "the claim, possibly a dotted path such as `realm_access.roles`, that lists the caller's roles"),
      setting("FLOE_OPENID_CLOCK_SKEW_SECONDS", "60",
          "how far a token's expiry and not-before may be off"),
      setting("FLOE_OPENID_ADDITIONAL_PROVIDERS", "",
          "more providers, comma-separated, each `name=issuer` or `name=issuer|audience`; their principals' ids start with `name~`; tokens go to the provider named by their `iss`"),
      setting("FLOE_KUBERNETES_ISSUER", "",
          "the service-account issuer of a Kubernetes cluster (its discovery and JWKS, served with ServiceAccountIssuerDiscovery); its tokens become principals of kind `kubernetes-service-account` with ids `kubernetes~<namespace>:<name>`"),
      setting("FLOE_KUBERNETES_AUDIENCE", "",
          "the audience projected service-account tokens must name (set the same in the pod's projected volume)"),
      setting("FLOE_AUTHZ_BACKEND", "allow-all",
          "who decides what callers may do: `allow-all` (everyone may do everything; the embedded default) or `openfga` (grants kept in OpenFGA, see [api.md](api.md#permissions))"),
      setting("FLOE_AUTHZ_CACHE_SECONDS", "5",
          "how long an authorization decision, and a caller's list of grants used to filter listings, is reused. A grant or revocation made through one server applies there at once, and on the other servers within this time"),
      setting("FLOE_OPENFGA_ENDPOINT", "",
          "OpenFGA's HTTP API, e.g. `http://openfga:8080`; required with `FLOE_AUTHZ_BACKEND=openfga`"),
      setting("FLOE_OPENFGA_STORE", "floe",
          "the OpenFGA store, by name: created when missing, and given Floe's authorization model when it lacks it (as `floe authz migrate` does)"),
      setting("FLOE_OPENFGA_API_TOKEN", "",
          "for an OpenFGA secured with a pre-shared key (`--authn-method preshared`): the key"),
      setting("FLOE_OPENFGA_CLIENT_ID", "",
          "for an OpenFGA secured with OpenID Connect (`--authn-method oidc`): the OAuth client Floe gets its tokens as; needs `FLOE_OPENFGA_CLIENT_SECRET` and `FLOE_OPENFGA_TOKEN_ENDPOINT`"),
      setting("FLOE_OPENFGA_CLIENT_SECRET", "",
          "that client's secret"),
      setting("FLOE_OPENFGA_TOKEN_ENDPOINT", "",
          "the token endpoint that client asks (client credentials grant)"),
      setting("FLOE_OPENFGA_AUDIENCE", "",
          "the audience Floe asks its OpenFGA tokens for"),
      setting("FLOE_OPENFGA_SCOPES", "",
          "the scopes Floe asks its OpenFGA tokens for (space-separated)"),
      setting("FLOE_WAREHOUSE_CACHE_SECONDS", "10",
          "lifetime of the warehouse cache entries; a change made through one server (a rename, a new storage profile or credential) is seen at once there and within this time on the others"),
      setting("FLOE_IDEMPOTENCY_KEY_LIFETIME_SECONDS", "1800",
          "how long the final response of a mutation sent with an `Idempotency-Key` is kept and replayed (advertised as `idempotency-key-lifetime` in `/v1/config`)"),
      setting("FLOE_SECRET_KEYS", "", "generated once into `$FLOE_DATA_DIR/secret-keys` on the embedded default; none otherwise",
          "master keys that encrypt stored credentials (AES-256-GCM): `VERSION:BASE64,...`, each key 32 random bytes (`openssl rand -base64 32`). Every server of a deployment needs the same keys. Without keys, warehouses with stored credentials cannot be used."),
      setting("FLOE_SECRET_KEY_VERSION", "", "the highest version given",
          "which key encrypts new secrets"),
      setting("FLOE_VENDED_CREDENTIALS_ACCESS", "read-write",
          "the most vended credentials and remotely signed requests may do with a table's files, `read-write` or `read` ([storage.md](storage.md)); with OpenFGA the caller's rights decide within it (select: read, modify: read-write)"),
      setting("FLOE_VENDED_CREDENTIALS_LIFETIME_SECONDS", "3600",
          "lifetime of vended credentials, 900 to 43200 (what STS accepts; anything else stops Floe at start); an ADLS profile may set its own `sas-lifetime-seconds`"),
      setting("FLOE_CREDENTIAL_CACHE_SIZE", "10000",
          "vended credentials kept in memory, per warehouse, locations and access level (`0` turns the cache off)"),
      setting("FLOE_CREDENTIAL_CACHE_LIFETIME_PERCENT", "50",
          "a cached credential is handed out only during this first part of its lifetime (0 to 90), so clients always get most of it"),
      setting("FLOE_WAREHOUSE_CACHE_SIZE", "1000",
          "warehouses kept in memory; see `FLOE_WAREHOUSE_CACHE_SECONDS`"),
      setting("FLOE_EVENTS_RETENTION_SECONDS", "604800", "`604800` (7 days)",
          "how long events stay in the outbox, and so in the events feed, whether or not a broker took them; older ones are pruned by a task every 10 minutes"),
      setting("FLOE_EVENTS_LOG", "false",
          "also write every event to the log (logger `io.floe.events`), one JSON line each"),
      setting("FLOE_EVENTS_NATS_URL", "",
          "publish events to NATS JetStream at this URL (e.g. `nats://nats:4222`, or several, comma-separated); each event is acknowledged by the stream before it counts as delivered, and its id is the `Nats-Msg-Id`"),
      setting("FLOE_EVENTS_NATS_SUBJECT_PREFIX", "floe",
          "events go to `<prefix>.<warehouse id or \"server\">.<type without io.floe.>`, e.g. `floe.8c1d…​.table.committed`"),
      setting("FLOE_EVENTS_NATS_STREAM", "FLOE",
          "the JetStream stream Floe creates over `<prefix>.>` when it is missing (file storage, 2-minute duplicate window); `none` when the stream is managed elsewhere"),
      setting("FLOE_EVENTS_NATS_TOKEN", "",
          "a token Floe authenticates to NATS with"),
      setting("FLOE_EVENTS_NATS_USER", "",
          "a user Floe authenticates to NATS as, with `FLOE_EVENTS_NATS_PASSWORD`"),
      setting("FLOE_EVENTS_NATS_PASSWORD", "",
          "that user's password"),
      setting("FLOE_EVENTS_NATS_CREDENTIALS_FILE", "",
          "a NATS `.creds` file (JWT and NKey) Floe authenticates with"),
      setting("FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS", "",
          "publish events to Kafka through these brokers (e.g. `kafka:9092`): an idempotent producer with `acks=all`, CloudEvents structured mode, keyed by the changed object's id so that one table's events stay in order in one partition"),
      setting("FLOE_EVENTS_KAFKA_TOPIC", "floe-events",
          "the topic every event goes to"),
      setting("FLOE_EVENTS_KAFKA_PROPERTIES_FILE", "",
          "a Java properties file of further producer settings (security protocol, SASL, TLS); they override Floe's"),
      setting("FLOE_SHUTDOWN_DELAY_SECONDS", "0",
          "at stop (SIGTERM), how long Floe goes on serving with `/health/ready` answering 503, so that load balancers take it out of rotation before its port closes"),
      setting("FLOE_SHUTDOWN_TIMEOUT_SECONDS", "20",
          "then, how long requests in flight may take to finish (new ones on open connections get 503); background tasks are released to other servers after"),
      setting("FLOE_LOG_FORMAT", "text",
          "`text`, or `json` for one JSON object per line (time, level, logger, message, the request's `request-id`, exception); each response carries its request id in `X-Request-Id`"),
      setting("FLOE_LOG_LEVELS", "",
          "log levels over the defaults, as `logger=level` pairs separated by commas (`root` for every logger; levels `trace` to `error`, or `off`): `floe.request=warn` drops the line logged per request, `io.floe=debug` says more"),
      setting("FLOE_TRACING_OTLP_ENDPOINT", "",
          "an OpenTelemetry collector's traces URL for OTLP over HTTP (such as `http://collector:4318/v1/traces`): one span per request, named by method and route, a child of the caller's `traceparent`; the trace id is in the logs' `trace-id`. Unset: no traces"),
      setting("FLOE_TRACING_SAMPLE_RATIO", "1.0",
          "the part of new traces that are recorded, between 0 and 1 (a request in a trace its caller sampled is always recorded)"),
      new Setting("FLOE_CONFIG_FILE", "", "(none)",
          "a Java properties file that uses these keys; the environment wins over it, and an unknown key in it is an error", false),
      new Setting("FLOE_JAVA_OPTS", "", "(none)",
          "extra JVM options for `bin/floe` (its defaults: Serial GC, `-Xms64m -Xmx1g`, a class data archive under `~/.cache/floe`) and for the distribution's launcher (its defaults are in `lib/jvm.options`)", false));

  /** The defaults of the keys a configuration file may set, by key. */
  public static final Map<String, String> DEFAULTS = defaults();

  /** Every key, the launcher's too. */
  public static final Set<String> KEYS = ALL.stream().map(Setting::key).collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static Setting setting(String key, String value, String meaning) {
    return new Setting(key, value, value.isEmpty() ? "(none)" : "`" + value + "`", meaning, true);
  }

  private static Setting setting(String key, String value, String shown, String meaning) {
    return new Setting(key, value, shown, meaning, true);
  }

  private static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (Setting setting : ALL) {
      if (setting.inFile()) {
        defaults.put(setting.key(), setting.value());
      }
    }
    return Map.copyOf(defaults);
  }

  /** The reference table, in Markdown, as docs/configuration.md has it. */
  public static String reference() {
    StringBuilder table = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
    for (Setting setting : ALL) {
      table.append("| `").append(setting.key()).append("` | ").append(cell(setting.shown())).append(" | ")
          .append(cell(setting.meaning())).append(" |\n");
    }
    return table.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
