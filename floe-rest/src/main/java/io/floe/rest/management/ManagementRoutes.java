package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.tenancy.Tenancy;
import io.floe.rest.http.Call;
import io.floe.rest.http.RawJson;
import io.floe.rest.http.Reply;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.util.List;

/**
 * The management API: projects and warehouses. A project is named by id or by name.
 *
 * <pre>
 * curl -X POST http://127.0.0.1:8181/management/v1/projects -d '{"name":"analytics"}'
 * curl -X POST http://127.0.0.1:8181/management/v1/projects/analytics/warehouses \
 *   -d '{"name":"prod","storage-profile":{"type":"local","root":"/data/prod"}}'
 * curl http://127.0.0.1:8181/management/v1/projects/analytics/warehouses
 * curl -X PUT http://127.0.0.1:8181/management/v1/warehouses/{id} -d '{"name":"production"}'
 * curl -X PUT http://127.0.0.1:8181/management/v1/warehouses/{id}/storage \
 *   -d '{"storage-profile":{...},"storage-credential":{"type":"s3-access-key",...}}'
 * curl -X DELETE http://127.0.0.1:8181/management/v1/warehouses/{id}
 * </pre>
 */
public final class ManagementRoutes implements RouteGroup {
  public static final String PROJECTS = "/management/v1/projects";
  public static final String PROJECT = "/management/v1/projects/{project}";
  public static final String PROJECT_WAREHOUSES = "/management/v1/projects/{project}/warehouses";
  public static final String WAREHOUSE = "/management/v1/warehouses/{warehouse}";
  public static final String WAREHOUSE_STORAGE = "/management/v1/warehouses/{warehouse}/storage";

  private final Tenancy tenancy;

  public ManagementRoutes(Tenancy tenancy) {
    this.tenancy = requireNonNull(tenancy, "tenancy is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(PROJECTS, "list-projects", this::listProjects),
        Route.post(PROJECTS, "create-project", this::createProject),
        Route.get(PROJECT, "get-project", this::getProject),
        Route.put(PROJECT, "rename-project", this::renameProject),
        Route.delete(PROJECT, "drop-project", this::dropProject),
        Route.get(PROJECT_WAREHOUSES, "list-warehouses", this::listWarehouses),
        Route.post(PROJECT_WAREHOUSES, "create-warehouse", this::createWarehouse),
        Route.get(WAREHOUSE, "get-warehouse", this::getWarehouse),
        Route.put(WAREHOUSE, "rename-warehouse", this::renameWarehouse),
        Route.delete(WAREHOUSE, "drop-warehouse", this::dropWarehouse),
        Route.put(WAREHOUSE_STORAGE, "update-warehouse-storage", this::updateStorage));
  }

  private Object listProjects(Call call) {
    return new RawJson(ManagementParsers.projectsToJson(tenancy.listProjects()));
  }

  private Object createProject(Call call) {
    Project project = tenancy.createProject(ManagementParsers.name(call.jsonBody()));
    return Reply.of(201, new RawJson(ManagementParsers.toJson(project)));
  }

  private Object getProject(Call call) {
    return new RawJson(ManagementParsers.toJson(project(call)));
  }

  private Object renameProject(Call call) {
    Project project = tenancy.renameProject(project(call).id(), ManagementParsers.name(call.jsonBody()));
    return new RawJson(ManagementParsers.toJson(project));
  }

  private Object dropProject(Call call) {
    tenancy.dropProject(project(call).id());
    return null;
  }

  private Object listWarehouses(Call call) {
    return new RawJson(ManagementParsers.warehousesToJson(tenancy.listWarehouses(project(call).id())));
  }

  private Object createWarehouse(Call call) {
    Project project = project(call);
    ManagementParsers.CreateWarehouse request = ManagementParsers.createWarehouse(call.jsonBody());
    Warehouse warehouse =
        tenancy.createWarehouse(
            project.id(), request.name(), request.storage(), request.extraLocations(), request.credential());
    return Reply.of(201, new RawJson(ManagementParsers.toJson(warehouse)));
  }

  private Object getWarehouse(Call call) {
    return new RawJson(ManagementParsers.toJson(tenancy.warehouse(WarehouseId.parse(call.path("warehouse")))));
  }

  private Object renameWarehouse(Call call) {
    Warehouse warehouse =
        tenancy.renameWarehouse(
            WarehouseId.parse(call.path("warehouse")), ManagementParsers.name(call.jsonBody()));
    return new RawJson(ManagementParsers.toJson(warehouse));
  }

  private Object updateStorage(Call call) {
    ManagementParsers.UpdateStorage request = ManagementParsers.updateStorage(call.jsonBody());
    Warehouse warehouse =
        tenancy.updateStorage(WarehouseId.parse(call.path("warehouse")), request.storage(), request.credential());
    return new RawJson(ManagementParsers.toJson(warehouse));
  }

  private Object dropWarehouse(Call call) {
    tenancy.dropWarehouse(WarehouseId.parse(call.path("warehouse")));
    return null;
  }

  private Project project(Call call) {
    String reference = call.path("project");
    if (reference.length() == 36 && reference.charAt(8) == '-') {
      try {
        return tenancy.project(ProjectId.parse(reference));
      } catch (RuntimeException e) {
        // not a UUID after all: fall through to the name
      }
    }
    return tenancy.projectByName(reference);
  }
}
