package io.floe.rest.iceberg;

import static io.floe.rest.iceberg.IcebergPaths.COMMIT_TRANSACTION;
import static io.floe.rest.iceberg.IcebergPaths.CONFIG;
import static io.floe.rest.iceberg.IcebergPaths.REGISTER_TABLE;
import static io.floe.rest.iceberg.IcebergPaths.RENAME_TABLE;
import static io.floe.rest.iceberg.IcebergPaths.TABLE;
import static io.floe.rest.iceberg.IcebergPaths.TABLES;
import static io.floe.rest.iceberg.IcebergPaths.TABLE_CREDENTIALS;
import static io.floe.rest.iceberg.IcebergPaths.TABLE_METRICS;
import static io.floe.rest.iceberg.IcebergPaths.TABLE_SIGN;
import static java.util.Objects.requireNonNull;

import io.floe.catalog.CatalogServices;
import io.floe.rest.http.Call;
import io.floe.rest.http.RawJson;
import io.floe.rest.http.Replay;
import io.floe.rest.http.Reply;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.TableEntry;
import io.floe.spi.store.TabularId;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.SignRequest;
import io.floe.spi.storage.SignedRequest;
import io.floe.spi.tenancy.Warehouse;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.ImmutableRemoteSignResponse;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ImmutableLoadCredentialsResponse;
import org.apache.iceberg.rest.responses.LoadTableResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg REST catalog API. Each route parses its request, calls one catalog operation and
 * returns the Iceberg response object; errors are mapped by the HTTP layer.
 *
 * <pre>
 * curl 'http://127.0.0.1:8181/v1/config?warehouse=demo'
 * curl http://127.0.0.1:8181/v1/{prefix}/namespaces
 * </pre>
 */
public final class IcebergRoutes implements RouteGroup {
  private static final Logger METRICS_LOG = LoggerFactory.getLogger("floe.metrics-report");

  /** The endpoints this server implements, advertised in {@code /v1/config}. */
  static final List<Endpoint> ENDPOINTS =
      List.of(
          Endpoint.V1_LIST_NAMESPACES,
          Endpoint.V1_LOAD_NAMESPACE,
          Endpoint.V1_NAMESPACE_EXISTS,
          Endpoint.V1_CREATE_NAMESPACE,
          Endpoint.V1_UPDATE_NAMESPACE,
          Endpoint.V1_DELETE_NAMESPACE,
          Endpoint.V1_COMMIT_TRANSACTION,
          Endpoint.V1_LIST_TABLES,
          Endpoint.V1_LOAD_TABLE,
          Endpoint.V1_TABLE_EXISTS,
          Endpoint.V1_CREATE_TABLE,
          Endpoint.V1_UPDATE_TABLE,
          Endpoint.V1_DELETE_TABLE,
          Endpoint.V1_RENAME_TABLE,
          Endpoint.V1_REGISTER_TABLE,
          Endpoint.V1_REPORT_METRICS,
          Endpoint.V1_TABLE_CREDENTIALS,
          Endpoint.V1_TABLE_REMOTE_SIGN,
          Endpoint.V1_LIST_VIEWS,
          Endpoint.V1_LOAD_VIEW,
          Endpoint.V1_VIEW_EXISTS,
          Endpoint.V1_CREATE_VIEW,
          Endpoint.V1_UPDATE_VIEW,
          Endpoint.V1_DELETE_VIEW,
          Endpoint.V1_RENAME_VIEW,
          Endpoint.V1_REGISTER_VIEW);

  private final CatalogServices catalog;
  private final MeterRegistry metrics;
  private final java.time.Duration idempotencyKeyLifetime;
  private final LoadTableResponses responses;
  private final StorageAccess storageAccess;
  private final IcebergAuthz authz;
  // cached listings come back as the same response object: written once
  private final io.floe.rest.http.Serialized serialized = new io.floe.rest.http.Serialized();
  /** Where clients get tokens (the provider's token endpoint), when authentication is on. */
  private final java.util.function.Supplier<Map<String, String>> authConfig;

  /**
   * @param responseCacheBytes how many bytes of serialized load-table responses to keep
   * @param authConfig catalog defaults that tell clients where to get tokens
   */
  public IcebergRoutes(
      CatalogServices catalog,
      MeterRegistry metrics,
      java.time.Duration idempotencyKeyLifetime,
      long responseCacheBytes,
      java.util.function.Supplier<Map<String, String>> authConfig) {
    this.authConfig = requireNonNull(authConfig, "authConfig is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.idempotencyKeyLifetime = requireNonNull(idempotencyKeyLifetime, "idempotencyKeyLifetime is null");
    this.responses = new LoadTableResponses(responseCacheBytes, metrics);
    this.storageAccess = new StorageAccess(catalog);
    this.authz = new IcebergAuthz(catalog.authz());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(CONFIG, "config", this::config),
        Route.get(TABLES, "list-tables", this::listTables),
        Route.post(TABLES, "create-table", this::createTable).replay(Replay.rebuilt(this::createdTable)),
        Route.get(TABLE, "load-table", this::loadTable),
        Route.head(TABLE, "table-exists", this::tableExists),
        Route.post(TABLE, "commit-table", this::commitTable).replay(Replay.rebuilt(this::loadTable)),
        Route.delete(TABLE, "drop-table", this::dropTable).replay(Replay.NO_CONTENT),
        Route.post(REGISTER_TABLE, "register-table", this::registerTable)
            .replay(Replay.rebuilt(this::registeredTable)),
        Route.post(TABLE_METRICS, "report-metrics", this::reportMetrics),
        Route.get(TABLE_CREDENTIALS, "load-credentials", this::loadCredentials),
        Route.post(TABLE_SIGN, "sign-request", this::signRequest).replay(Replay.IGNORED),
        Route.post(RENAME_TABLE, "rename-table", this::renameTable).replay(Replay.NO_CONTENT),
        Route.post(COMMIT_TRANSACTION, "commit-transaction", this::commitTransaction).replay(Replay.NO_CONTENT));
  }

  // ---- config

  private Object config(Call call) {
    String name = call.query("warehouse");
    if (name == null || name.isBlank()) {
      throw new BadRequestException(
          "Missing query parameter warehouse: name a warehouse (NAME or PROJECT/NAME)");
    }
    Warehouse warehouse = catalog.warehouses().byQualifiedName(name);
    authz.warehouseVisible(call, warehouse, name);
    return ConfigResponse.builder()
        .withDefaults(new java.util.HashMap<>(authConfig.get()))
        .withOverride("prefix", warehouse.id().toString())
        .withEndpoints(ENDPOINTS)
        .withIdempotencyKeyLifetime(idempotencyKeyLifetime.toString())
        .build();
  }

  // ---- tables

  private Object listTables(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    PageRequest page = IcebergCalls.page(call);
    return serialized.json(call, catalog.tables().list(warehouse, namespace, page, authz.visibleTables(call, warehouse, namespace)));
  }

  private Object createTable(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    CreateTableRequest request = call.body(CreateTableRequest.class);
    authz.namespace(call, io.floe.spi.authz.Relation.CREATE, warehouse, namespace);
    TableMetadata metadata;
    if (request.stageCreate()) {
      // nothing exists yet: the commit that creates it makes the caller its owner
      metadata = catalog.tables().create(warehouse, namespace, request);
    } else {
      TabularId id = TabularId.random();
      metadata =
          authz.creating(call, io.floe.spi.authz.ObjectType.TABLE, id.value(), () -> catalog.tables().create(warehouse, namespace, request, id));
    }
    TableIdentifier identifier = TableIdentifier.of(namespace, request.name());
    // the creator owns it (with a staged create, it will): it may write there, as far as the
    // server lets anyone
    return storageAccess.grant(call, warehouse, identifier, metadata, catalog.access().level()).response(metadata);
  }

  private Object loadTable(Call call) {
    String snapshots = call.query("snapshots");
    boolean refsOnly;
    if (snapshots == null || snapshots.equalsIgnoreCase("all")) {
      refsOnly = false;
    } else if (snapshots.equalsIgnoreCase("refs")) {
      refsOnly = true;
    } else {
      throw new BadRequestException("Invalid snapshots mode: %s (expected all or refs)", snapshots);
    }
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.table(call);
    // what the caller may do with the files decides its credentials (a 404 if it may not see it)
    AccessLevel level = authz.storageAccess(call, warehouse, identifier, catalog.access().level());
    // the pointer alone decides freshness; what was built for that pointer is reused
    String location = catalog.tables().metadataLocation(warehouse, identifier);
    LoadTableResponses.Entry cached = responses.get(location, refsOnly);
    String etag = cached != null ? cached.etag() : etag(location, refsOnly);
    boolean delegated = level != null && storageAccess.delegates(call, warehouse);
    String ifNoneMatch = call.header("If-None-Match");
    // a client that gets storage access gets it fresh, never a 304 without credentials
    if (!delegated && ifNoneMatch != null && matches(ifNoneMatch, etag)) {
      return new Reply(304, null, Map.of("ETag", etag));
    }
    if (cached != null && !delegated) {
      return new Reply(200, RawJson.ofUtf8(cached.body()), Map.of("ETag", etag));
    }
    // the metadata comes from the store's caches; credentials are granted for the version served
    TableEntry entry = catalog.tables().load(warehouse, identifier);
    if (cached != null && entry.metadataLocation().equals(location)) {
      byte[] body = storageAccess.grant(call, warehouse, identifier, entry.metadata(), level).spliceInto(cached.body());
      return new Reply(200, RawJson.ofUtf8(body), Map.of("ETag", etag));
    }
    TableMetadata metadata = entry.metadata();
    if (refsOnly) {
      metadata =
          TableMetadata.buildFrom(metadata)
              .withMetadataLocation(metadata.metadataFileLocation())
              .suppressHistoricalSnapshots()
              .build();
    }
    // writing a large table's response takes long: not on the I/O thread, where others wait
    io.floe.spi.concurrent.NonBlocking.checkCanBlock();
    byte[] body = call.json(LoadTableResponse.builder().withTableMetadata(metadata).build());
    // a commit may have landed since the pointer was read: file the body under what was loaded
    String loadedEtag = etag(entry.metadataLocation(), refsOnly);
    responses.put(entry.metadataLocation(), refsOnly, new LoadTableResponses.Entry(loadedEtag, body));
    if (delegated) {
      body = storageAccess.grant(call, warehouse, identifier, entry.metadata(), level).spliceInto(body);
    }
    return new Reply(200, RawJson.ofUtf8(body), Map.of("ETag", loadedEtag));
  }

  private Object tableExists(Call call) {
    TableIdentifier identifier = IcebergCalls.table(call);
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    authz.table(call, io.floe.spi.authz.Relation.DESCRIBE, warehouse, identifier);
    if (!catalog.tables().exists(warehouse, identifier)) {
      throw new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier);
    }
    return null;
  }

  private Object commitTable(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.table(call);
    UpdateTableRequest request = call.body(UpdateTableRequest.class);
    TableEntry entry;
    if (authz.enforcing() && creates(request) && !catalog.tables().exists(warehouse, identifier)) {
      // the commit of a staged create: the caller creates the table, and owns it
      authz.namespace(call, io.floe.spi.authz.Relation.CREATE, warehouse, identifier.namespace());
      TabularId id = TabularId.random();
      entry = authz.creating(call, io.floe.spi.authz.ObjectType.TABLE, id.value(), () -> catalog.tables().commit(warehouse, identifier, request, id));
    } else {
      authz.table(call, io.floe.spi.authz.Relation.MODIFY, warehouse, identifier);
      entry = catalog.tables().commit(warehouse, identifier, request);
    }
    AccessLevel level = authz.storageAccess(call, warehouse, identifier, catalog.access().level());
    return storageAccess.grant(call, warehouse, identifier, entry.metadata(), level).response(entry.metadata());
  }

  private Object dropTable(Call call) {
    boolean purge = Boolean.parseBoolean(call.query("purgeRequested"));
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.table(call);
    authz.table(call, io.floe.spi.authz.Relation.DROP, warehouse, identifier);
    boolean force = IcebergCalls.force(call);
    if (force) {
      // dropping a protected table takes its ownership
      authz.table(call, io.floe.spi.authz.Relation.OWNERSHIP, warehouse, identifier);
    }
    io.floe.catalog.governance.DropOutcome dropped = catalog.tables().drop(warehouse, identifier, purge, force);
    if (!dropped.soft()) {
      authz.forget(io.floe.spi.authz.ObjectType.TABLE, dropped.id().value());
    }
    return null;
  }

  private Object registerTable(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    RegisterTableRequest request = call.body(RegisterTableRequest.class);
    authz.namespace(call, io.floe.spi.authz.Relation.CREATE, warehouse, namespace);
    TableIdentifier identifier = TableIdentifier.of(namespace, request.name() == null ? "" : request.name());
    TableEntry entry;
    if (authz.enforcing() && request.name() != null && catalog.tables().exists(warehouse, identifier)) {
      // overwriting an existing table changes it
      authz.table(call, io.floe.spi.authz.Relation.MODIFY, warehouse, identifier);
      entry = catalog.tables().register(warehouse, namespace, request);
    } else {
      TabularId id = TabularId.random();
      // checked as a create: a table that appears meanwhile is not overwritten without modify
      RegisterTableRequest create =
          authz.enforcing() ? org.apache.iceberg.rest.requests.ImmutableRegisterTableRequest.builder().from(request).overwrite(false).build() : request;
      entry = authz.creating(call, io.floe.spi.authz.ObjectType.TABLE, id.value(), () -> catalog.tables().register(warehouse, namespace, create, id));
    }
    AccessLevel level = authz.storageAccess(call, warehouse, entry.identifier(), catalog.access().level());
    return storageAccess.grant(call, warehouse, entry.identifier(), entry.metadata(), level).response(entry.metadata());
  }

  private Object reportMetrics(Call call) {
    TableIdentifier identifier = IcebergCalls.table(call);
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    ReportMetricsRequest request = call.body(ReportMetricsRequest.class);
    authz.table(call, io.floe.spi.authz.Relation.DESCRIBE, warehouse, identifier);
    catalog.tables().metadataLocation(warehouse, identifier);
    String type = String.valueOf(request.reportType()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    metrics.counter("floe.metrics.reports", "type", type).increment();
    METRICS_LOG.info(
        "request_id={} warehouse={} table={} type={} report={}",
        call.requestId(), warehouse.id(), identifier, type, request.report());
    return null;
  }

  private Object loadCredentials(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.table(call);
    AccessLevel level = authz.storageAccess(call, warehouse, identifier, catalog.access().level());
    if (level == null) {
      throw new io.floe.spi.error.ForbiddenException(
          "Forbidden: %s may not read the data of table %s", call.principal().id(), identifier);
    }
    TableEntry entry = catalog.tables().load(warehouse, identifier);
    // local storage, or a profile with vending turned off, has none to give
    return ImmutableLoadCredentialsResponse.builder()
        .addAllCredentials(storageAccess.credentials(warehouse, identifier, entry.metadata(), level))
        .build();
  }

  private Object signRequest(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.table(call);
    RemoteSignRequest request = call.body(RemoteSignRequest.class);
    if (request.provider() != null && !request.provider().equalsIgnoreCase(warehouse.storage().type())) {
      throw new BadRequestException(
          "Cannot sign a %s request for a %s warehouse", request.provider(), warehouse.storage().type());
    }
    AccessLevel level = authz.storageAccess(call, warehouse, identifier, catalog.access().level());
    if (level == null) {
      throw new io.floe.spi.error.ForbiddenException(
          "Forbidden: %s may not read the data of table %s", call.principal().id(), identifier);
    }
    TableEntry entry = catalog.tables().load(warehouse, identifier);
    SignedRequest signed =
        catalog
            .signing()
            .sign(
                warehouse,
                entry.metadata(),
                level,
                new SignRequest(request.region(), request.method(), request.uri(), request.headers(), request.body()));
    return ImmutableRemoteSignResponse.builder().uri(signed.uri()).headers(signed.headers()).build();
  }

  private Object renameTable(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    RenameTableRequest request = call.body(RenameTableRequest.class);
    authz.rename(call, warehouse, request, false);
    catalog.tables().rename(warehouse, request);
    return null;
  }

  private Object commitTransaction(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    CommitTransactionRequest request = call.body(CommitTransactionRequest.class);
    if (!authz.enforcing()) {
      catalog.tables().commitTransaction(warehouse, request);
      return null;
    }
    // existing tables need modify; tables the transaction creates need create on their namespace
    request.validate();
    List<TableIdentifier> changed = new java.util.ArrayList<>();
    Map<TableIdentifier, TabularId> created = new java.util.LinkedHashMap<>();
    for (UpdateTableRequest change : request.tableChanges()) {
      if (change.identifier() == null) {
        continue; // refused by the catalog
      }
      if (creates(change) && !catalog.tables().exists(warehouse, change.identifier())) {
        authz.namespace(call, io.floe.spi.authz.Relation.CREATE, warehouse, change.identifier().namespace());
        created.put(change.identifier(), TabularId.random());
      } else {
        changed.add(change.identifier());
      }
    }
    authz.tables(call, io.floe.spi.authz.Relation.MODIFY, warehouse, changed);
    java.util.function.Supplier<Object> commit =
        () -> catalog.tables().commitTransaction(warehouse, request, identifier -> created.getOrDefault(identifier, TabularId.random()));
    for (TabularId id : created.values()) {
      java.util.function.Supplier<Object> inner = commit;
      commit = () -> authz.creating(call, io.floe.spi.authz.ObjectType.TABLE, id.value(), inner);
    }
    commit.get();
    return null;
  }

  // ---- answers to retries with the Idempotency-Key of a request that succeeded: the current state

  private Object createdTable(Call call) {
    return loadNamed(call, call.body(CreateTableRequest.class).name());
  }

  private Object registeredTable(Call call) {
    return loadNamed(call, call.body(RegisterTableRequest.class).name());
  }

  private Object loadNamed(Call call, String name) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = TableIdentifier.of(IcebergCalls.namespace(call), name);
    AccessLevel level = authz.storageAccess(call, warehouse, identifier, catalog.access().level());
    TableEntry entry = catalog.tables().load(warehouse, identifier);
    return storageAccess.grant(call, warehouse, identifier, entry.metadata(), level).response(entry.metadata());
  }

  /** Whether a commit may create its table (the commit of a staged create). */
  static boolean creates(UpdateTableRequest request) {
    return request.requirements().stream()
        .anyMatch(org.apache.iceberg.UpdateRequirement.AssertTableDoesNotExist.class::isInstance);
  }

  private static String etag(String metadataLocation, boolean refsOnly) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] hash = digest.digest((metadataLocation + (refsOnly ? "#refs" : "#all")).getBytes(StandardCharsets.UTF_8));
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String trimmed = candidate.trim();
      if (trimmed.startsWith("W/")) {
        trimmed = trimmed.substring(2);
      }
      if (trimmed.equals(etag) || trimmed.equals("*")) {
        return true;
      }
    }
    return false;
  }
}
