package io.floe.catalog.tenancy;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.events.CatalogEvents;
import io.floe.catalog.naming.Names;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.tasks.Task;
import io.floe.spi.tasks.TaskQueue;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.StorageProfile;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.spi.secrets.Secret;
import io.floe.spi.secrets.SecretId;
import io.floe.spi.secrets.SecretStore;
import java.time.Duration;
import java.util.List;
import org.apache.iceberg.util.JsonUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Optional;
import java.util.function.Function;

/** What the management API does with projects and warehouses. */
public final class Tenancy {
  private static final Logger LOG = LoggerFactory.getLogger(Tenancy.class);
  /** The task that deletes a storage credential no warehouse uses any more. */
  public static final String RETIRE_SECRET_TASK = "retire-secret";

  private final CatalogStore store;
  private final Warehouses warehouses;
  private final Storage storage;
  private final SecretStore secrets;
  private final Duration secretRetention;
  private final TaskQueue tasks;

  /**
   * @param secretRetention how long a replaced credential is kept: other servers go on using it
   *     until their warehouse cache entry expires
   * @param tasks runs the deletion of replaced credentials
   */
  public Tenancy(
      CatalogStore store,
      Warehouses warehouses,
      Storage storage,
      SecretStore secrets,
      Duration secretRetention,
      TaskQueue tasks) {
    this.store = requireNonNull(store, "store is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.secretRetention = requireNonNull(secretRetention, "secretRetention is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
  }

  public Project createProject(String name) {
    return createProject(name, ProjectId.random());
  }

  /** Creates a project with an id chosen by the caller (who may have granted on it already). */
  public Project createProject(String name, ProjectId id) {
    Project project = new Project(id, Names.check("project", name));
    ChangeEvents.during(
        CatalogEvents.project("created", project, CatalogEvents.data()), () -> store.createProject(project));
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
    Project current = project(id);
    Names.check("project", newName);
    ChangeEvents.during(
        CatalogEvents.project("renamed", new Project(id, newName), CatalogEvents.data().put("previous-name", current.name())),
        () -> store.renameProject(id, newName));
    return project(id);
  }

  public void dropProject(ProjectId id) {
    Project current = project(id);
    ChangeEvents.during(CatalogEvents.project("dropped", current, CatalogEvents.data()), () -> store.dropProject(id));
  }

  public Warehouse createWarehouse(
      ProjectId projectId, String name, StorageProfile profile, List<String> extraLocations) {
    return createWarehouse(projectId, name, profile, extraLocations, Optional.empty());
  }

  /**
   * Creates a warehouse after checking that Floe can write, read and delete an object in its
   * storage with the given credential, which is then kept in the secret store.
   */
  public Warehouse createWarehouse(
      ProjectId projectId,
      String name,
      StorageProfile profile,
      List<String> extraLocations,
      Optional<Secret> credential) {
    return createWarehouse(WarehouseId.random(), projectId, name, profile, extraLocations, credential);
  }

  /** Creates a warehouse with an id chosen by the caller (who may have granted on it already). */
  public Warehouse createWarehouse(
      WarehouseId id,
      ProjectId projectId,
      String name,
      StorageProfile profile,
      List<String> extraLocations,
      Optional<Secret> credential) {
    project(projectId);
    Names.check("warehouse", name);
    if (!storage.supports(profile.type())) {
      throw new BadRequestException("Unsupported storage type: %s", profile.type());
    }
    storage.probe(profile, credential);
    return withNewSecret(
        credential,
        secretId -> {
          Warehouse warehouse =
              new Warehouse(id, projectId, name, profile, extraLocations, secretId);
          ChangeEvents.during(
              CatalogEvents.warehouse("created", warehouse, storageData(warehouse)),
              () -> store.createWarehouse(warehouse));
          return warehouse;
        });
  }

  /**
   * Changes a warehouse's storage settings or credential. The root (bucket and prefix) cannot
   * change, since tables already live under it; without a new credential the stored one stays.
   * The new combination is probed first. This server sees the change at once, other servers when
   * their warehouse cache entry expires.
   */
  public Warehouse updateStorage(WarehouseId id, StorageProfile profile, Optional<Secret> credential) {
    Warehouse current = warehouse(id);
    if (!current.storage().type().equals(profile.type()) || !current.storage().root().equals(profile.root())) {
      throw new BadRequestException(
          "Cannot change the storage root of warehouse %s from %s to %s: its tables live there",
          current.name(), current.storage().root(), profile.root());
    }
    Optional<Secret> effective = credential.isPresent() ? credential : storage.credential(current);
    storage.probe(profile, effective);
    if (credential.isPresent() && current.credentialId() != null) {
      retire(current.credentialId());
    }
    Warehouse updated =
        withNewSecret(
            credential,
            newSecret -> {
              Warehouse changed = current.withStorage(profile, newSecret != null ? newSecret : current.credentialId());
              ChangeEvents.during(
                  CatalogEvents.warehouse("storage-updated", changed, storageData(changed).put("credential-replaced", newSecret != null)),
                  () -> store.updateWarehouseStorage(current, changed));
              return changed;
            });
    warehouses.invalidate(id);
    return updated;
  }

  /**
   * Stores a new credential, if there is one, and runs {@code write} with its id (or null); when
   * the write fails the new secret is deleted again, so no secret is left without a warehouse.
   */
  private Warehouse withNewSecret(Optional<Secret> credential, Function<SecretId, Warehouse> write) {
    SecretId secretId = credential.map(secrets::create).orElse(null);
    try {
      return write.apply(secretId);
    } catch (RuntimeException e) {
      if (secretId != null) {
        try {
          // a write whose outcome is unknown may have landed: then the warehouse keeps its secret
          secrets.deleteUnused(secretId);
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    }
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
    Warehouse current = warehouse(id);
    Names.check("warehouse", newName);
    ChangeEvents.during(
        CatalogEvents.warehouse(
            "renamed", current.withName(newName), CatalogEvents.data().put("previous-name", current.name())),
        () -> store.renameWarehouse(id, newName));
    warehouses.invalidate(id);
    return warehouse(id);
  }

  /** Drops an empty warehouse; {@code force} drops a protected one (the caller has the right to). */
  public void dropWarehouse(WarehouseId id, boolean force) {
    Warehouse current = warehouse(id);
    current.credential().ifPresent(this::retire);
    ChangeEvents.during(
        CatalogEvents.warehouse("dropped", current, CatalogEvents.data()), () -> store.dropWarehouse(id, force));
    warehouses.invalidate(id);
  }

  /**
   * Deletes a credential once no server can still be using it, by a durable task scheduled before
   * the change that stops using it: the task deletes the secret only if no warehouse refers to it
   * by then, so a change that failed (or whose outcome is unknown) costs nothing.
   */
  private void retire(SecretId id) {
    tasks.enqueue(
        RETIRE_SECRET_TASK, null, CatalogEvents.data().put("secret-id", id.value().toString()).toString(),
        java.time.Instant.now().plus(secretRetention), 10);
  }

  /** The task that deletes a retired credential (see {@link #retire}). */
  public void deleteRetiredSecret(Task task) throws java.io.IOException {
    SecretId id =
        new SecretId(java.util.UUID.fromString(JsonUtil.mapper().readTree(task.payload()).path("secret-id").asText()));
    if (!secrets.deleteUnused(id)) {
      LOG.info("Storage credential {} is still in use: kept", id);
    }
  }

  /** What events tell of a warehouse's storage: never its credential. */
  private static com.fasterxml.jackson.databind.node.ObjectNode storageData(Warehouse warehouse) {
    return CatalogEvents.data()
        .put("storage-type", warehouse.storage().type())
        .put("storage-root", warehouse.storage().root());
  }
}
