package io.floe.catalog.tenancy;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.naming.Names;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.StorageProfile;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.util.List;

/** What the management API does with projects and warehouses. */
public final class Tenancy {
  private final CatalogStore store;
  private final Warehouses warehouses;
  private final Storage storage;

  public Tenancy(CatalogStore store, Warehouses warehouses, Storage storage) {
    this.store = requireNonNull(store, "store is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.storage = requireNonNull(storage, "storage is null");
  }

  public Project createProject(String name) {
    Project project = new Project(ProjectId.random(), Names.check("project", name));
    store.createProject(project);
    return project;
  }

  public List<Project> listProjects() {
    return store.listProjects();
  }

  public Project project(ProjectId id) {
    return store
        .project(id)
        .orElseThrow(
            () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", id));
  }

  public Project projectByName(String name) {
    return store
        .projectByName(name)
        .orElseThrow(
            () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", name));
  }

  public Project renameProject(ProjectId id, String newName) {
    store.renameProject(id, Names.check("project", newName));
    return project(id);
  }

  public void dropProject(ProjectId id) {
    store.dropProject(id);
  }

  public Warehouse createWarehouse(
      ProjectId projectId, String name, StorageProfile profile, List<String> extraLocations) {
    project(projectId);
    if (!storage.supports(profile.type())) {
      throw new BadRequestException("Unsupported storage type: %s", profile.type());
    }
    Warehouse warehouse =
        new Warehouse(
            WarehouseId.random(), projectId, Names.check("warehouse", name), profile, extraLocations);
    store.createWarehouse(warehouse);
    return warehouse;
  }

  public List<Warehouse> listWarehouses(ProjectId projectId) {
    project(projectId);
    return store.listWarehouses(projectId);
  }

  public Warehouse warehouse(WarehouseId id) {
    return store
        .warehouse(id)
        .orElseThrow(
            () ->
                new NotFoundException(
                    NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", id));
  }

  public Warehouse renameWarehouse(WarehouseId id, String newName) {
    Warehouse renamed = warehouse(id).withName(Names.check("warehouse", newName));
    store.updateWarehouse(renamed);
    warehouses.invalidate(id);
    return renamed;
  }

  public void dropWarehouse(WarehouseId id) {
    store.dropWarehouse(id);
    warehouses.invalidate(id);
  }
}
