package io.floe.rest.iceberg;

import static io.floe.rest.iceberg.IcebergPaths.COMMIT_TRANSACTION;
import static io.floe.rest.iceberg.IcebergPaths.CONFIG;
import static io.floe.rest.iceberg.IcebergPaths.NAMESPACE;
import static io.floe.rest.iceberg.IcebergPaths.NAMESPACES;
import static io.floe.rest.iceberg.IcebergPaths.NAMESPACE_PROPERTIES;
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
import io.floe.spi.store.TableEntry;
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
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.ImmutableRemoteSignResponse;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
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
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(CONFIG, "config", this::config),
        Route.get(NAMESPACES, "list-namespaces", this::listNamespaces),
        Route.post(NAMESPACES, "create-namespace", this::createNamespace)
            .replay(Replay.rebuilt(this::createdNamespace)),
        Route.get(NAMESPACE, "load-namespace", this::loadNamespace),
        Route.head(NAMESPACE, "namespace-exists", this::namespaceExists),
        Route.delete(NAMESPACE, "drop-namespace", this::dropNamespace).replay(Replay.NO_CONTENT),
        Route.post(NAMESPACE_PROPERTIES, "update-namespace-properties", this::updateNamespaceProperties)
            .replay(Replay.rebuilt(this::updatedNamespaceProperties)),
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
    return ConfigResponse.builder()
        .withDefaults(new java.util.HashMap<>(authConfig.get()))
        .withOverride("prefix", warehouse.id().toString())
        .withEndpoints(ENDPOINTS)
        .withIdempotencyKeyLifetime(idempotencyKeyLifetime.toString())
        .build();
  }

  // ---- namespaces

  private Object listNamespaces(Call call) {
    String parent = call.query("parent");
    Namespace parentNamespace =
        parent == null || parent.isEmpty() ? Namespace.empty() : RESTUtil.namespaceFromQueryParam(parent);
    return catalog.namespaces().list(IcebergCalls.warehouse(catalog, call), parentNamespace, IcebergCalls.page(call));
  }

  private Object createNamespace(Call call) {
    return catalog.namespaces().create(IcebergCalls.warehouse(catalog, call), call.body(CreateNamespaceRequest.class));
  }

  private Object loadNamespace(Call call) {
    return catalog.namespaces().load(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call));
  }

  private Object namespaceExists(Call call) {
    Namespace namespace = IcebergCalls.namespace(call);
    if (!catalog.namespaces().exists(IcebergCalls.warehouse(catalog, call), namespace)) {
      throw new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", namespace);
    }
    return null;
  }

  private Object dropNamespace(Call call) {
    catalog.namespaces().drop(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call));
    return null;
  }

  private Object updateNamespaceProperties(Call call) {
    return catalog
        .namespaces()
        .updateProperties(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call), call.body(UpdateNamespacePropertiesRequest.class));
  }

  // ---- tables

  private Object listTables(Call call) {
    return catalog.tables().list(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call), IcebergCalls.page(call));
  }

  private Object createTable(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    CreateTableRequest request = call.body(CreateTableRequest.class);
    TableMetadata metadata = catalog.tables().create(warehouse, namespace, request);
    TableIdentifier identifier = TableIdentifier.of(namespace, request.name());
    return storageAccess.grant(call, warehouse, identifier, metadata).response(metadata);
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
    // the pointer alone decides freshness; what was built for that pointer is reused
    String location = catalog.tables().metadataLocation(warehouse, identifier);
    LoadTableResponses.Entry cached = responses.get(location, refsOnly);
    String etag = cached != null ? cached.etag() : etag(location, refsOnly);
    boolean delegated = storageAccess.delegates(call, warehouse);
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
      byte[] body = storageAccess.grant(call, warehouse, identifier, entry.metadata()).spliceInto(cached.body());
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
    byte[] body = call.json(LoadTableResponse.builder().withTableMetadata(metadata).build());
    // a commit may have landed since the pointer was read: file the body under what was loaded
    String loadedEtag = etag(entry.metadataLocation(), refsOnly);
    responses.put(entry.metadataLocation(), refsOnly, new LoadTableResponses.Entry(loadedEtag, body));
    if (delegated) {
      body = storageAccess.grant(call, warehouse, identifier, entry.metadata()).spliceInto(body);
    }
    return new Reply(200, RawJson.ofUtf8(body), Map.of("ETag", loadedEtag));
  }

  private Object tableExists(Call call) {
    TableIdentifier identifier = IcebergCalls.table(call);
    if (!catalog.tables().exists(IcebergCalls.warehouse(catalog, call), identifier)) {
      throw new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier);
    }
    return null;
  }

  private Object commitTable(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.table(call);
    TableEntry entry = catalog.tables().commit(warehouse, identifier, call.body(UpdateTableRequest.class));
    return storageAccess.grant(call, warehouse, identifier, entry.metadata()).response(entry.metadata());
  }

  private Object dropTable(Call call) {
    boolean purge = Boolean.parseBoolean(call.query("purgeRequested"));
    catalog.tables().drop(IcebergCalls.warehouse(catalog, call), IcebergCalls.table(call), purge);
    return null;
  }

  private Object registerTable(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableEntry entry =
        catalog.tables().register(warehouse, IcebergCalls.namespace(call), call.body(RegisterTableRequest.class));
    return storageAccess.grant(call, warehouse, entry.identifier(), entry.metadata()).response(entry.metadata());
  }

  private Object reportMetrics(Call call) {
    TableIdentifier identifier = IcebergCalls.table(call);
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    ReportMetricsRequest request = call.body(ReportMetricsRequest.class);
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
    TableEntry entry = catalog.tables().load(warehouse, identifier);
    // local storage, or a profile with vending turned off, has none to give
    return ImmutableLoadCredentialsResponse.builder()
        .addAllCredentials(storageAccess.credentials(warehouse, identifier, entry.metadata()))
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
    TableEntry entry = catalog.tables().load(warehouse, identifier);
    SignedRequest signed =
        catalog
            .signing()
            .sign(
                warehouse,
                entry.metadata(),
                catalog.access().accessFor(warehouse, identifier),
                new SignRequest(request.region(), request.method(), request.uri(), request.headers(), request.body()));
    return ImmutableRemoteSignResponse.builder().uri(signed.uri()).headers(signed.headers()).build();
  }

  private Object renameTable(Call call) {
    catalog.tables().rename(IcebergCalls.warehouse(catalog, call), call.body(RenameTableRequest.class));
    return null;
  }

  private Object commitTransaction(Call call) {
    catalog.tables().commitTransaction(IcebergCalls.warehouse(catalog, call), call.body(CommitTransactionRequest.class));
    return null;
  }

  // ---- answers to retries with the Idempotency-Key of a request that succeeded: the current state

  private Object createdNamespace(Call call) {
    return catalog.namespaces().load(IcebergCalls.warehouse(catalog, call), call.body(CreateNamespaceRequest.class).namespace());
  }

  private Object updatedNamespaceProperties(Call call) {
    UpdateNamespacePropertiesRequest request = call.body(UpdateNamespacePropertiesRequest.class);
    catalog.namespaces().load(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call));
    return org.apache.iceberg.rest.responses.UpdateNamespacePropertiesResponse.builder()
        .addUpdated(request.updates() == null ? List.of() : request.updates().keySet())
        .addRemoved(request.removals() == null ? List.of() : request.removals())
        .build();
  }

  private Object createdTable(Call call) {
    return loadNamed(call, call.body(CreateTableRequest.class).name());
  }

  private Object registeredTable(Call call) {
    return loadNamed(call, call.body(RegisterTableRequest.class).name());
  }

  private Object loadNamed(Call call, String name) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = TableIdentifier.of(IcebergCalls.namespace(call), name);
    TableEntry entry = catalog.tables().load(warehouse, identifier);
    return storageAccess.grant(call, warehouse, identifier, entry.metadata()).response(entry.metadata());
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
