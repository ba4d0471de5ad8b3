package io.floe.rest.iceberg;

import static io.floe.rest.iceberg.IcebergPaths.NAMESPACE;
import static io.floe.rest.iceberg.IcebergPaths.NAMESPACES;
import static io.floe.rest.iceberg.IcebergPaths.NAMESPACE_PROPERTIES;
import static java.util.Objects.requireNonNull;

import io.floe.catalog.CatalogServices;
import io.floe.rest.http.Call;
import io.floe.rest.http.Replay;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.PageRequest;
import io.floe.spi.tenancy.Warehouse;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;

/** The namespace routes of the Iceberg REST catalog API. */
public final class IcebergNamespaceRoutes implements RouteGroup {
  private final CatalogServices catalog;
  private final IcebergAuthz authz;
  // cached listings come back as the same response object: written once
  private final io.floe.rest.http.Serialized serialized = new io.floe.rest.http.Serialized();

  public IcebergNamespaceRoutes(CatalogServices catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.authz = new IcebergAuthz(catalog.authz());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(NAMESPACES, "list-namespaces", this::listNamespaces),
        Route.post(NAMESPACES, "create-namespace", this::createNamespace)
            .replay(Replay.rebuilt(this::createdNamespace)),
        Route.get(NAMESPACE, "load-namespace", this::loadNamespace),
        Route.head(NAMESPACE, "namespace-exists", this::namespaceExists),
        Route.delete(NAMESPACE, "drop-namespace", this::dropNamespace).replay(Replay.NO_CONTENT),
        Route.post(NAMESPACE_PROPERTIES, "update-namespace-properties", this::updateNamespaceProperties)
            .replay(Replay.rebuilt(this::updatedNamespaceProperties)));
  }

  private Object listNamespaces(Call call) {
    String parent = call.query("parent");
    Namespace parentNamespace =
        parent == null || parent.isEmpty() ? Namespace.empty() : RESTUtil.namespaceFromQueryParam(parent);
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    PageRequest page = IcebergCalls.page(call);
    return serialized.json(
        call, catalog.namespaces().list(warehouse, parentNamespace, page, authz.visibleNamespaces(call, warehouse, parentNamespace)));
  }

  private Object createNamespace(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    CreateNamespaceRequest request = call.body(CreateNamespaceRequest.class);
    Namespace namespace = request.namespace();
    if (namespace == null || namespace.isEmpty()) {
      // the catalog explains what is wrong with it
      return catalog.namespaces().create(warehouse, request);
    }
    Namespace parent = Namespace.of(java.util.Arrays.copyOf(namespace.levels(), namespace.length() - 1));
    authz.namespace(call, io.floe.spi.authz.Relation.CREATE, warehouse, parent);
    java.util.UUID id = java.util.UUID.randomUUID();
    return authz.creating(call, io.floe.spi.authz.ObjectType.NAMESPACE, id, () -> catalog.namespaces().create(warehouse, request, id));
  }

  private Object loadNamespace(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    authz.namespaceVisible(call, warehouse, namespace);
    return catalog.namespaces().load(warehouse, namespace);
  }

  private Object namespaceExists(Call call) {
    Namespace namespace = IcebergCalls.namespace(call);
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    authz.namespaceVisible(call, warehouse, namespace);
    if (!catalog.namespaces().exists(warehouse, namespace)) {
      throw new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", namespace);
    }
    return null;
  }

  private Object dropNamespace(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    authz.namespace(call, io.floe.spi.authz.Relation.DROP, warehouse, namespace);
    boolean force = IcebergCalls.force(call);
    if (force) {
      // forcing the drop of protected objects takes the ownership of the namespace (so of all it holds)
      authz.namespace(call, io.floe.spi.authz.Relation.OWNERSHIP, warehouse, namespace);
    }
    io.floe.spi.store.CatalogStore.Dropped dropped =
        catalog.namespaces().drop(
            warehouse, namespace, IcebergCalls.flag(call, "recursive"), IcebergCalls.flag(call, "purgeRequested"), force);
    dropped.namespaces().forEach(id -> authz.forget(io.floe.spi.authz.ObjectType.NAMESPACE, id));
    dropped.tables().forEach(id -> authz.forget(io.floe.spi.authz.ObjectType.TABLE, id.value()));
    dropped.views().forEach(id -> authz.forget(io.floe.spi.authz.ObjectType.VIEW, id.value()));
    return null;
  }

  private Object updateNamespaceProperties(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    UpdateNamespacePropertiesRequest request = call.body(UpdateNamespacePropertiesRequest.class);
    authz.namespace(call, io.floe.spi.authz.Relation.MODIFY, warehouse, namespace);
    return catalog.namespaces().updateProperties(warehouse, namespace, request);
  }

  // ---- answers to retries with the Idempotency-Key of a request that succeeded: the current state

  private Object createdNamespace(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = call.body(CreateNamespaceRequest.class).namespace();
    authz.namespaceVisible(call, warehouse, namespace);
    return catalog.namespaces().load(warehouse, namespace);
  }

  private Object updatedNamespaceProperties(Call call) {
    UpdateNamespacePropertiesRequest request = call.body(UpdateNamespacePropertiesRequest.class);
    authz.namespaceVisible(call, IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call));
    catalog.namespaces().load(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call));
    return org.apache.iceberg.rest.responses.UpdateNamespacePropertiesResponse.builder()
        .addUpdated(request.updates() == null ? List.of() : request.updates().keySet())
        .addRemoved(request.removals() == null ? List.of() : request.removals())
        .build();
  }
}
