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
import io.floe.catalog.authz.Access;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
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
  private final Access access;

  public ManagementRoutes(Tenancy tenancy, Access access) {
    this.tenancy = requireNonNull(tenancy, "tenancy is null");
    this.access = requireNonNull(access, "access is null");
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
    List<Project> projects = tenancy.listProjects();
    if (access.enforcing() && !access.held(call.principal(), Access.server(), Relation.DESCRIBE).contains(Relation.DESCRIBE)) {
      boolean[] visible = access.describable(call.principal(), projects.stream().map(p -> Access.project(p.id())).toList());
      projects = java.util.stream.IntStream.range(0, projects.size()).filter(i -> visible[i]).mapToObj(projects::get).toList();
    }
    return new RawJson(ManagementParsers.projectsToJson(projects));
  }

  private Object createProject(Call call) {
    String name = ManagementParsers.name(call.jsonBody());
    access.require(call.principal(), Relation.CREATE, Access.server(), () -> new io.floe.spi.error.ForbiddenException(
        "Forbidden: %s may not create projects", call.principal().id()));
    ProjectId id = ProjectId.random();
    Project project =
        access.creating(call.principal(), new ObjectRef(ObjectType.PROJECT, id.toString()), () -> tenancy.createProject(name, id));
    return Reply.of(201, new RawJson(ManagementParsers.toJson(project)));
  }

  private Object getProject(Call call) {
    return new RawJson(ManagementParsers.toJson(project(call, Relation.DESCRIBE)));
  }

  private Object renameProject(Call call) {
    ProjectId id = project(call, Relation.MODIFY).id();
    Project project = tenancy.renameProject(id, ManagementParsers.name(call.jsonBody()));
    return new RawJson(ManagementParsers.toJson(project));
  }

  private Object dropProject(Call call) {
    Project project = project(call, Relation.DROP);
    tenancy.dropProject(project.id());
    access.forget(new ObjectRef(ObjectType.PROJECT, project.id().toString()));
    return null;
  }

  private Object listWarehouses(Call call) {
    Project project = project(call, Relation.DESCRIBE);
    List<Warehouse> warehouses = tenancy.listWarehouses(project.id());
    if (access.enforcing()) {
      boolean[] visible = access.describable(call.principal(), warehouses.stream().map(Access::warehouse).toList());
      warehouses = java.util.stream.IntStream.range(0, warehouses.size()).filter(i -> visible[i]).mapToObj(warehouses::get).toList();
    }
    return new RawJson(ManagementParsers.warehousesToJson(warehouses));
  }

  private Object createWarehouse(Call call) {
    Project project = project(call, Relation.CREATE);
    ManagementParsers.CreateWarehouse request = ManagementParsers.createWarehouse(call.jsonBody());
    WarehouseId id = WarehouseId.random();
    Warehouse warehouse =
        access.creating(
            call.principal(), new ObjectRef(ObjectType.WAREHOUSE, id.toString()),
            () -> tenancy.createWarehouse(
                id, project.id(), request.name(), request.storage(), request.extraLocations(), request.credential()));
    return Reply.of(201, new RawJson(ManagementParsers.toJson(warehouse)));
  }

  private Object getWarehouse(Call call) {
    return new RawJson(ManagementParsers.toJson(warehouse(call, Relation.DESCRIBE)));
  }

  private Object renameWarehouse(Call call) {
    WarehouseId id = warehouse(call, Relation.MODIFY).id();
    Warehouse warehouse = tenancy.renameWarehouse(id, ManagementParsers.name(call.jsonBody()));
    return new RawJson(ManagementParsers.toJson(warehouse));
  }

  private Object updateStorage(Call call) {
    ManagementParsers.UpdateStorage request = ManagementParsers.updateStorage(call.jsonBody());
    Warehouse warehouse = tenancy.updateStorage(warehouse(call, Relation.MODIFY).id(), request.storage(), request.credential());
    return new RawJson(ManagementParsers.toJson(warehouse));
  }

  private Object dropWarehouse(Call call) {
    Warehouse warehouse = warehouse(call, Relation.DROP);
    boolean force = "true".equalsIgnoreCase(call.query("force"));
    if (force) {
      warehouse(call, Relation.OWNERSHIP);
    }
    tenancy.dropWarehouse(warehouse.id(), force);
    access.forget(new ObjectRef(ObjectType.WAREHOUSE, warehouse.id().toString()));
    return null;
  }

  /** The project of the path, once the caller is found to hold {@code relation} on it. */
  private Project project(Call call, Relation relation) {
    Project project = project(call);
    access.require(
        call.principal(), relation, Access.project(project.id()),
        () -> new io.floe.spi.error.NotFoundException(
            io.floe.spi.error.NotFoundException.Kind.PROJECT, "Project does not exist: %s", call.path("project")));
    return project;
  }

  private Warehouse warehouse(Call call, Relation relation) {
    Warehouse warehouse = tenancy.warehouse(WarehouseId.parse(call.path("warehouse")));
    access.require(
        call.principal(), relation, Access.warehouse(warehouse),
        () -> new io.floe.spi.error.NotFoundException(
            io.floe.spi.error.NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", call.path("warehouse")));
    return warehouse;
  }

  private Project project(Call call) {
    return project(tenancy, call.path("project"));
  }

  /** A project named by id or by name. */
  static Project project(Tenancy tenancy, String reference) {
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
