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
import io.floe.spi.store.ViewEntry;
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

  public IcebergViewRoutes(CatalogServices catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
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
    return catalog.views().list(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call), IcebergCalls.page(call));
  }

  private Object createView(Call call) {
    ViewEntry entry = catalog.views().create(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call), call.body(CreateViewRequest.class));
    return viewResponse(entry);
  }

  private Object loadView(Call call) {
    return viewResponse(catalog.views().load(IcebergCalls.warehouse(catalog, call), IcebergCalls.view(call)));
  }

  private Object viewExists(Call call) {
    TableIdentifier identifier = IcebergCalls.view(call);
    if (!catalog.views().exists(IcebergCalls.warehouse(catalog, call), identifier)) {
      throw new NotFoundException(NotFoundException.Kind.VIEW, "View does not exist: %s", identifier);
    }
    return null;
  }

  private Object replaceView(Call call) {
    return viewResponse(
        catalog.views().commit(IcebergCalls.warehouse(catalog, call), IcebergCalls.view(call), call.body(UpdateTableRequest.class)));
  }

  private Object dropView(Call call) {
    catalog.views().drop(IcebergCalls.warehouse(catalog, call), IcebergCalls.view(call));
    return null;
  }

  private Object registerView(Call call) {
    return viewResponse(
        catalog.views().register(IcebergCalls.warehouse(catalog, call), IcebergCalls.namespace(call), call.body(RegisterViewRequest.class)));
  }

  private Object renameView(Call call) {
    catalog.views().rename(IcebergCalls.warehouse(catalog, call), call.body(RenameTableRequest.class));
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
    return viewResponse(catalog.views().load(IcebergCalls.warehouse(catalog, call), TableIdentifier.of(IcebergCalls.namespace(call), name)));
  }

  private Object registeredView(Call call) {
    String name = call.body(RegisterViewRequest.class).name();
    return viewResponse(catalog.views().load(IcebergCalls.warehouse(catalog, call), TableIdentifier.of(IcebergCalls.namespace(call), name)));
  }

}
