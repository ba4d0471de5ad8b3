package io.floe.rest.iceberg;

import static io.floe.rest.iceberg.IcebergPaths.REGISTER_VIEW;
import static io.floe.rest.iceberg.IcebergPaths.RENAME_VIEW;
import static io.floe.rest.iceberg.IcebergPaths.VIEW;
import static io.floe.rest.iceberg.IcebergPaths.VIEWS;
import static java.util.Objects.requireNonNull;

import io.floe.catalog.CatalogServices;
import io.floe.rest.http.Call;
import io.floe.rest.http.Replay;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.TabularId;
import io.floe.spi.store.ViewEntry;
import io.floe.spi.tenancy.Warehouse;
import org.apache.iceberg.catalog.Namespace;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.requests.CreateViewRequest;
import org.apache.iceberg.rest.requests.RegisterViewRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ImmutableLoadViewResponse;
import org.apache.iceberg.rest.responses.LoadViewResponse;

/** The view routes of the Iceberg REST API. */
public final class IcebergViewRoutes implements RouteGroup {
  private final CatalogServices catalog;
  private final IcebergAuthz authz;
  // cached listings come back as the same response object: written once
  private final io.floe.rest.http.Serialized serialized = new io.floe.rest.http.Serialized();

  public IcebergViewRoutes(CatalogServices catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.authz = new IcebergAuthz(catalog.authz());
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(VIEWS, "list-views", this::listViews),
        Route.post(VIEWS, "create-view", this::createView).replay(Replay.rebuilt(this::createdView)),
        Route.get(VIEW, "load-view", this::loadView),
        Route.head(VIEW, "view-exists", this::viewExists),
        Route.post(VIEW, "replace-view", this::replaceView).replay(Replay.rebuilt(this::loadView)),
        Route.delete(VIEW, "drop-view", this::dropView).replay(Replay.NO_CONTENT),
        Route.post(REGISTER_VIEW, "register-view", this::registerView).replay(Replay.rebuilt(this::registeredView)),
        Route.post(RENAME_VIEW, "rename-view", this::renameView).replay(Replay.NO_CONTENT));
  }

  private Object listViews(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    PageRequest page = IcebergCalls.page(call);
    return serialized.json(call, catalog.views().list(warehouse, namespace, page, authz.visibleViews(call, warehouse, namespace)));
  }

  private Object createView(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    CreateViewRequest request = call.body(CreateViewRequest.class);
    authz.namespace(call, Relation.CREATE, warehouse, namespace);
    TabularId id = TabularId.random();
    return viewResponse(authz.creating(call, ObjectType.VIEW, id.value(), () -> catalog.views().create(warehouse, namespace, request, id)));
  }

  private Object loadView(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.view(call);
    authz.view(call, Relation.DESCRIBE, warehouse, identifier);
    return viewResponse(catalog.views().load(warehouse, identifier));
  }

  private Object viewExists(Call call) {
    TableIdentifier identifier = IcebergCalls.view(call);
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    authz.view(call, Relation.DESCRIBE, warehouse, identifier);
    if (!catalog.views().exists(warehouse, identifier)) {
      throw new NotFoundException(NotFoundException.Kind.VIEW, "View does not exist: %s", identifier);
    }
    return null;
  }

  private Object replaceView(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.view(call);
    UpdateTableRequest request = call.body(UpdateTableRequest.class);
    authz.view(call, Relation.MODIFY, warehouse, identifier);
    return viewResponse(catalog.views().commit(warehouse, identifier, request));
  }

  private Object dropView(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = IcebergCalls.view(call);
    authz.view(call, Relation.DROP, warehouse, identifier);
    boolean force = IcebergCalls.force(call);
    if (force) {
      authz.view(call, Relation.OWNERSHIP, warehouse, identifier);
    }
    io.floe.catalog.governance.DropOutcome dropped = catalog.views().drop(warehouse, identifier, force);
    if (!dropped.soft()) {
      authz.forget(ObjectType.VIEW, dropped.id().value());
    }
    return null;
  }

  private Object registerView(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    Namespace namespace = IcebergCalls.namespace(call);
    RegisterViewRequest request = call.body(RegisterViewRequest.class);
    authz.namespace(call, Relation.CREATE, warehouse, namespace);
    TabularId id = TabularId.random();
    return viewResponse(authz.creating(call, ObjectType.VIEW, id.value(), () -> catalog.views().register(warehouse, namespace, request, id)));
  }

  private Object renameView(Call call) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    RenameTableRequest request = call.body(RenameTableRequest.class);
    authz.rename(call, warehouse, request, true);
    catalog.views().rename(warehouse, request);
    return null;
  }

  private static LoadViewResponse viewResponse(ViewEntry entry) {
    return ImmutableLoadViewResponse.builder()
        .metadataLocation(entry.metadataLocation())
        .metadata(entry.metadata())
        .build();
  }

  private Object createdView(Call call) {
    String name = call.body(CreateViewRequest.class).name();
    return loadNamed(call, name);
  }

  private Object registeredView(Call call) {
    String name = call.body(RegisterViewRequest.class).name();
    return loadNamed(call, name);
  }

  private Object loadNamed(Call call, String name) {
    Warehouse warehouse = IcebergCalls.warehouse(catalog, call);
    TableIdentifier identifier = TableIdentifier.of(IcebergCalls.namespace(call), name);
    authz.view(call, Relation.DESCRIBE, warehouse, identifier);
    return viewResponse(catalog.views().load(warehouse, identifier));
  }

}
