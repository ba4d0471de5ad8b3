package io.floe.server;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.floe.catalog.CatalogServices;
import io.floe.catalog.credentials.AccessRule;
import io.floe.catalog.credentials.TableCredentials;
import io.floe.catalog.credentials.TableSigning;
import io.floe.catalog.namespaces.Namespaces;
import io.floe.catalog.tables.Tables;
import io.floe.catalog.events.EventDelivery;
import io.floe.catalog.events.LogPublisher;
import io.floe.catalog.tasks.TaskWorker;
import io.floe.spi.events.EventPublisher;
import io.floe.store.postgres.PostgresEventOutbox;
import java.util.Map;
import io.floe.catalog.tenancy.Storage;
import io.floe.catalog.tenancy.Tenancy;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.catalog.views.Views;
import io.floe.catalog.identity.Principals;
import io.floe.rest.http.Json;
import io.floe.rest.management.IdentityRoutes;
import io.floe.rest.http.RequestTracer;
import io.floe.rest.http.RestHandler;
import io.floe.rest.http.RestServer;
import io.floe.rest.http.Router;
import io.floe.rest.iceberg.IcebergRoutes;
import io.floe.rest.iceberg.IcebergNamespaceRoutes;
import io.floe.rest.iceberg.IcebergViewRoutes;
import io.floe.rest.management.ManagementRoutes;
import io.floe.rest.observe.ObserveRoutes;
import io.floe.server.config.FloeConfig;
import io.floe.server.observe.BacklogMetrics;
import io.floe.server.observe.OtlpTracing;
import io.floe.server.observe.ResidentMemory;
import io.floe.store.postgres.Backlog;
import io.floe.server.embedded.EmbeddedPostgres;
import io.floe.authn.oidc.OidcAuthenticator;
import io.floe.spi.auth.Authenticator;
import io.floe.spi.authz.Authorizer;
import io.floe.catalog.authz.Access;
import io.floe.rest.management.PermissionRoutes;
import io.floe.rest.management.RoleRoutes;
import io.floe.rest.management.DataPolicyRoutes;
import io.floe.rest.management.ApprovalRoutes;
import io.floe.rest.management.EventRoutes;
import io.floe.catalog.approval.Approvals;
import io.floe.catalog.approval.WebhookApprover;
import io.floe.rest.management.GovernanceRoutes;
import io.floe.catalog.governance.Protection;
import io.floe.catalog.governance.SoftDeletion;
import io.floe.rest.management.TaskRoutes;
import io.floe.store.postgres.PostgresTaskQueue;
import io.floe.store.postgres.PostgresDataPolicyStore;
import io.floe.spi.storage.RequestSigner;
import io.floe.spi.storage.StorageKind;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.tenancy.StorageProfileParser;
import io.floe.storage.local.LocalStorageProfile;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.Warehouse;
import io.floe.store.postgres.Database;
import io.floe.store.postgres.DatabaseConfig;
import io.floe.store.postgres.PostgresCatalogStore;
import io.floe.store.postgres.PostgresIdempotencyStore;
import io.floe.store.postgres.PostgresPrincipalStore;
import io.floe.store.postgres.PostgresRoleStore;
import io.floe.store.postgres.PostgresSecretStore;
import io.floe.store.postgres.SecretKeyRing;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where Floe's object graph is built: each seam gets its implementation here, and
 * the choice is logged.
 */
public final class Floe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Floe.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final RestServer server;
  private final AtomicBoolean stopping;
  private final Duration shutdownDelay;

  private Floe(RestServer server, AtomicBoolean stopping, Duration shutdownDelay) {
    this.server = server;
    this.stopping = stopping;
    this.shutdownDelay = shutdownDelay;
  }

  public static Floe start(FloeConfig config) throws Exception {
    Floe floe = null;
    List<AutoCloseable> opened = new ArrayList<>();
    AtomicBoolean stopping = new AtomicBoolean();
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
      ResidentMemory.bindTo(registry);

      Database database = openDatabase(config, opened, new MicrometerMetricsTrackerFactory(registry));
      database.migrateIfBehind();
      PostgresCatalogStore store =
          new PostgresCatalogStore(
              database,
              registry,
              new PostgresCatalogStore.Caching(
                  true, config.pointerCacheHeartbeat(), config.pointerCacheMaxAge(), config.tableMetadataCacheMegabytes() * 1024L * 1024));
      opened.add(store);

      PostgresSecretStore secrets = new PostgresSecretStore(database, secretKeys(config));
      LOG.info("secret store: PostgreSQL, AES-256-GCM");
      // storage kinds are plugins, found on the class path: each brings its FileIO, and may vend or sign
      List<StorageKind> kinds = List.copyOf(StorageProfileParser.kinds().values());
      kinds.forEach(kind -> opened.add(kind));
      Storage storage =
          new Storage(kinds.stream().map(StorageKind::fileIOFactory).toList(), secrets);
      opened.add(storage);
      TableCredentials credentials =
          new TableCredentials(
              kinds.stream().flatMap(kind -> kind.credentialVendor().stream()).toList(),
              storage,
              config.vendedCredentialsLifetime(),
              config.credentialCacheSize(),
              config.credentialCacheLifetimePercent() / 100.0,
              Clock.systemUTC(),
              registry);
      CaffeineCacheMetrics.monitor(registry, credentials.cache(), "credential");
      List<RequestSigner> signers = kinds.stream().flatMap(kind -> kind.requestSigner().stream()).toList();
      LOG.info("storage kinds: {}; credential vending: {}; remote signing: {}; {} access, lifetime {}",
          kinds.stream().map(StorageKind::type).sorted().toList(),
          kinds.stream().filter(kind -> kind.credentialVendor().isPresent()).map(StorageKind::type).sorted().toList(),
          signers.stream().map(RequestSigner::type).sorted().toList(),
          config.vendedCredentialsAccess().text(), config.vendedCredentialsLifetime());
      Warehouses warehouses =
          new Warehouses(store, config.warehouseCacheLifetime(), config.warehouseCacheSize());
      CaffeineCacheMetrics.monitor(registry, warehouses.cache(), "warehouse");
      ScheduledExecutorService housekeeping =
          Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("floe-housekeeping").factory());
      opened.add(housekeeping::shutdownNow);
      // a replaced credential lives on until every server's warehouse cache has let it go
      Duration secretRetention = config.warehouseCacheLifetime().plusSeconds(30);
      // background work that survives restarts: each server runs due tasks, one server per task
      PostgresTaskQueue taskQueue = new PostgresTaskQueue(database);
      Tenancy tenancy = new Tenancy(store, warehouses, storage, secrets, secretRetention, taskQueue);
      Namespaces namespaces = new Namespaces(store);
      PostgresEventOutbox outbox = new PostgresEventOutbox(database);
      // changes to tables and views pass each warehouse's approval webhook, when it has one
      WebhookApprover webhooks = new WebhookApprover(store, config.warehouseCacheLifetime());
      Approvals approvals = new Approvals(List.of(webhooks));
      Tables tables = new Tables(store, namespaces, storage, config.commitMaxAttempts(), outbox, approvals, registry);
      EventDelivery delivery = eventDelivery(config.events(), outbox, opened);
      delivery.schedule(taskQueue);
      Map<String, TaskWorker.Handler> handlers = new java.util.HashMap<>();
      handlers.put(Tables.PURGE_TASK, tables::purge);
      handlers.put(Tenancy.RETIRE_SECRET_TASK, tenancy::deleteRetiredSecret);
      handlers.put(EventDelivery.PRUNE_TASK, delivery::prune);
      // delivery runs never end: they have a worker of their own, so that they never hold up a purge
      // a short lease (a run lasts 8 s): a killed server's delivery is taken over within 15 s
      TaskWorker.Settings deliverySettings = TaskWorker.Settings.DEFAULT;
      opened.add(
          new TaskWorker(
              taskQueue, delivery.deliveryHandlers(), delivery.recurring(), workerName() + "/events",
              new TaskWorker.Settings(
                  Duration.ofSeconds(15), Duration.ofMillis(250), delivery.concurrency(), deliverySettings.firstRetry(),
                  deliverySettings.maxRetry()),
              registry));
      Views views = new Views(store, namespaces, storage, config.commitMaxAttempts(), approvals);
      Authorizer authorizer = authorizer(config);
      opened.add(authorizer);
      if (config.authorization().backend().equals("openfga")) {
        io.micrometer.core.instrument.FunctionCounter.builder("floe.openfga.requests", authorizer, Authorizer::backendRequests)
            .description("requests made to OpenFGA (checks in batches, reads, writes)")
            .register(registry);
      }
      Access access = new Access(authorizer, store, new PostgresRoleStore(database));
      SoftDeletion softDeletion = new SoftDeletion(store, access);
      handlers.put(SoftDeletion.EXPIRE_TASK, softDeletion::expire);
      opened.add(
          new TaskWorker(taskQueue, handlers, delivery.recurring(), workerName(), TaskWorker.Settings.DEFAULT, registry));
      CatalogServices catalog =
          new CatalogServices(
              warehouses, tenancy, namespaces, tables, views, credentials,
              new TableSigning(signers, storage),
              new AccessRule(config.vendedCredentialsAccess()),
              access);

      if (config.bootstrapDemo()) {
        bootstrapDemo(store, tenancy, config);
      }

      Authenticator authenticator = authenticator(config);
      Principals principals = new Principals(new PostgresPrincipalStore(database), authorizer);
      // the database names the administrator; its grant is written again in case it was lost
      principals.grantAdministrator();
      Router router =
          new Router(
              List.of(
                  new IcebergRoutes(
                      catalog, registry, config.idempotencyKeyLifetime(), config.tableResponseCacheMegabytes() * 1024L * 1024,
                      authenticator::clientConfig),
                  new IcebergNamespaceRoutes(catalog),
                  new IcebergViewRoutes(catalog),
                  new ManagementRoutes(tenancy, access),
                  new PermissionRoutes(access, warehouses, outbox),
                  new RoleRoutes(access, tenancy),
                  new DataPolicyRoutes(access, warehouses, new PostgresDataPolicyStore(database), store),
                  new TaskRoutes(taskQueue, warehouses, access),
                  new EventRoutes(outbox, warehouses, access),
                  new GovernanceRoutes(softDeletion, new Protection(store), warehouses, access),
                  new ApprovalRoutes(store, webhooks, warehouses, access),
                  new IdentityRoutes(principals),
                  new ObserveRoutes(database::ping, stopping::get, registry)));
      PostgresIdempotencyStore idempotency = new PostgresIdempotencyStore(database);
      housekeeping.scheduleWithFixedDelay(
          () -> expireIdempotencyKeys(idempotency, config.idempotencyKeyLifetime()), 1, 10, TimeUnit.MINUTES);
      housekeeping.scheduleWithFixedDelay(() -> rotateSecrets(secrets), 5, 60, TimeUnit.SECONDS);
      housekeeping.scheduleWithFixedDelay(
          new BacklogMetrics(new Backlog(database), database, registry), 0, 15, TimeUnit.SECONDS);
      RestHandler handler =
          new RestHandler(
              router, Json.mapper(), registry, config.maxRequestBodyBytes(), idempotency, config.idempotencyKeyLifetime(),
              authenticator,
              principals::seen,
              tracer(config.operations().tracing(), opened));
      RestServer server = new RestServer(config.bindAddress(), config.port(), handler, config.operations().shutdownTimeout());
      server.start();
      opened.add(server);
      floe = new Floe(server, stopping, config.operations().shutdownDelay());
      floe.resources.addAll(opened);
      LOG.info("Floe serving the Iceberg REST catalog on http://{}:{}", config.bindAddress(), server.port());
      return floe;
    } catch (Exception | Error e) {
      closeAll(opened);
      throw e;
    }
  }

  /** Request spans to an OpenTelemetry collector, or none; closed after the server, to send the last. */
  private static RequestTracer tracer(FloeConfig.Tracing tracing, List<AutoCloseable> opened) {
    if (tracing == null) {
      return RequestTracer.NONE;
    }
    OtlpTracing otlp = new OtlpTracing(tracing, workerName());
    opened.add(otlp);
    LOG.info("traces: OTLP to {}, sampling {} of new traces", tracing.endpoint(), tracing.sampleRatio());
    return otlp;
  }

  /** The publishers configured, each opened once and closed with the server. */
  private static EventDelivery eventDelivery(FloeConfig.Events config, PostgresEventOutbox outbox, List<AutoCloseable> opened) {
    List<EventPublisher> publishers = new ArrayList<>();
    if (config.log()) {
      publishers.add(new LogPublisher());
    }
    if (config.nats() != null) {
      publishers.add(Backends.event("nats").open(config.nats()));
    }
    if (config.kafka() != null) {
      publishers.add(Backends.event("kafka").open(config.kafka()));
    }
    opened.addAll(publishers);
    LOG.info("events: outbox and feed on, retention {}; publishing to {}", config.retention(),
        publishers.isEmpty() ? "nothing else" : publishers.stream().map(EventPublisher::name).toList());
    return new EventDelivery(outbox, publishers, EventDelivery.Settings.defaults(config.retention()));
  }

  /** This server's name in task leases: host and process. */
  private static String workerName() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown";
    }
    return host + "/" + ProcessHandle.current().pid();
  }

  /** OpenFGA when configured; otherwise every caller may do everything. */
  private static Authorizer authorizer(FloeConfig config) {
    FloeConfig.Authorization authz = config.authorization();
    if (!authz.backend().equals("openfga")) {
      LOG.info("authorization: allow-all (FLOE_AUTHZ_BACKEND=openfga to enforce grants): every caller may do everything");
      return Authorizer.ALLOW_ALL;
    }
    Authorizer authorizer = Backends.authorizer(authz.backend()).start(authz.openFga());
    LOG.info("authorization: {}", authorizer.describe());
    return authorizer;
  }

  /** OpenID Connect when a provider is configured; otherwise every caller is anonymous. */
  private static Authenticator authenticator(FloeConfig config) {
    if (config.openIdProviders().isEmpty()) {
      LOG.info("authentication: off (no FLOE_OPENID_PROVIDER_URI or FLOE_KUBERNETES_ISSUER): every caller is anonymous");
      return Authenticator.NONE;
    }
    OidcAuthenticator oidc =
        new OidcAuthenticator(
            config.openIdProviders().stream()
                .map(p -> new OidcAuthenticator.Provider(
                    p.name(), p.issuer(), java.util.Set.copyOf(p.audiences()), p.subjectClaim(), p.rolesClaim(), p.clockSkew(),
                    p.kubernetes()))
                .toList());
    LOG.info("authentication: OpenID Connect bearer tokens from {}", oidc.describe());
    return oidc;
  }

  /**
   * The master keys for secrets: FLOE_SECRET_KEYS, or on the embedded default a key generated
   * once into the data directory. Without either, secrets are refused when used.
   */
  private static SecretKeyRing secretKeys(FloeConfig config) throws java.io.IOException {
    String keys = config.secretKeys();
    if (keys == null && config.embeddedDatabase()) {
      java.nio.file.Path file = config.dataDir().resolve("secret-keys");
      if (!java.nio.file.Files.exists(file)) {
        io.floe.server.embedded.PrivateFiles.create(file, SecretKeyRing.generate(1));
        LOG.info("generated the secret key in {}", file);
      }
      keys = java.nio.file.Files.readString(file).trim();
    }
    if (keys == null) {
      LOG.warn("no secret key configured (FLOE_SECRET_KEYS): warehouses with stored credentials cannot be used");
      return null;
    }
    try {
      return SecretKeyRing.parse(keys, config.secretKeyVersion());
    } catch (IllegalArgumentException e) {
      throw new io.floe.server.config.ConfigException("FLOE_SECRET_KEYS: %s", e.getMessage());
    }
  }

  /** Re-encrypts secrets still under an older key, a batch at a time, after a key rotation. */
  private static void rotateSecrets(PostgresSecretStore secrets) {
    try {
      int total = 0;
      for (int batch = secrets.rotate(100); batch > 0 && total < 10_000; batch = secrets.rotate(100)) {
        total += batch;
      }
      if (total > 0) {
        LOG.info("re-encrypted {} secrets under the current key", total);
      }
    } catch (RuntimeException e) {
      if (!(e instanceof io.floe.spi.error.UnavailableException unavailable
          && unavailable.getMessage().contains("no secret key is configured"))) {
        LOG.warn("Cannot re-encrypt secrets: {}", e.getMessage());
      }
    }
  }

  private static void expireIdempotencyKeys(PostgresIdempotencyStore store, java.time.Duration lifetime) {
    try {
      int expired = store.expire(lifetime);
      if (expired > 0) {
        LOG.info("expired {} idempotency keys", expired);
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot expire idempotency keys: {}", e.toString());
    }
  }

  /** Creates the default project and its {@code demo} warehouse when they are missing. */
  private static void bootstrapDemo(CatalogStore store, Tenancy tenancy, FloeConfig config) {
    Project project =
        store.projectByName(Warehouses.DEFAULT_PROJECT).orElseGet(() -> tenancy.createProject(Warehouses.DEFAULT_PROJECT));
    if (store.warehouseByName(project.id(), "demo").isEmpty()) {
      Warehouse demo =
          tenancy.createWarehouse(
              project.id(), "demo", new LocalStorageProfile(config.demoWarehouseRoot()), config.demoExtraLocations());
      LOG.info("created warehouse demo ({}) at {}", demo.id(), demo.storage().root());
    }
  }

  /**
   * {@code floe migrate}: brings the schema to this version's and stops, for deployments that
   * migrate apart from serving (a Kubernetes Job, say).
   */
  public static Database.Migrated migrate(FloeConfig config) throws Exception {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      return openDatabase(config, opened, null).migrate();
    } finally {
      closeAll(opened);
    }
  }

  /** The primary (and replica) pools, on the embedded PostgreSQL when no database is configured. */
  private static Database openDatabase(FloeConfig config, List<AutoCloseable> opened, MetricsTrackerFactory metrics)
      throws Exception {
    DatabaseConfig databaseConfig;
    if (config.embeddedDatabase()) {
      EmbeddedPostgres postgres = EmbeddedPostgres.start(config.dataDir(), config.embeddedPostgresPort());
      opened.add(postgres);
      databaseConfig =
          new DatabaseConfig(
              postgres.jdbcUrl(), null, postgres.user(), postgres.password(),
              config.writePoolSize(), config.readPoolSize(), config.databaseConnectTimeout());
      LOG.info("catalog store: embedded PostgreSQL");
    } else {
      databaseConfig =
          new DatabaseConfig(
              config.databaseUrl(), config.databaseReadUrl(), config.databaseUser(), config.databasePassword(),
              config.writePoolSize(), config.readPoolSize(), config.databaseConnectTimeout());
      LOG.info("catalog store: PostgreSQL {}{}", DatabaseConfig.redact(config.databaseUrl()),
          config.databaseReadUrl() == null ? "" : " (reads: " + DatabaseConfig.redact(config.databaseReadUrl()) + ")");
    }
    Database database = new Database(databaseConfig, metrics);
    opened.add(database);
    return database;
  }

  public int port() {
    return server.port();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops gracefully: readiness turns off, and after the shutdown delay (for load balancers to
   * notice) the port closes and requests in flight get up to the shutdown timeout to finish; then
   * background work stops, releasing its tasks to the other servers, and the pools close.
   */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    if (shutdownDelay.isPositive()) {
      LOG.info("stopping: not ready; serving for {} more", shutdownDelay);
      try {
        Thread.sleep(shutdownDelay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeAll(resources);
    LOG.info("stopped");
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("Error while stopping {}: {}", resources.get(i).getClass().getSimpleName(), e.toString());
      }
    }
  }
}
