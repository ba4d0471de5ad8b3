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
import io.floe.spi.secrets.Secret;
import io.floe.spi.secrets.SecretId;
import io.floe.spi.secrets.SecretStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Optional;
import java.util.function.Function;

/** What the management API does with projects and warehouses. */
public final class Tenancy {
  private static final Logger LOG = LoggerFactory.getLogger(Tenancy.class);
  private final CatalogStore store;
  private final Warehouses warehouses;
  private final Storage storage;
  private final SecretStore secrets;
  private final Duration secretRetention;
  private final ScheduledExecutorService scheduler;

  /**
   * @param secretRetention how long a replaced credential is kept: other servers go on using it
   *     until their warehouse cache entry expires
   * @param scheduler runs the deletion of replaced credentials
   */
  public Tenancy(
      CatalogStore store,
      Warehouses warehouses,
      Storage storage,
      SecretStore secrets,
      Duration secretRetention,
      ScheduledExecutorService scheduler) {
    this.store = requireNonNull(store, "store is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.secretRetention = requireNonNull(secretRetention, "secretRetention is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  public Project createProject(String name) {
    return createProject(name, ProjectId.random());
  }

  /** Creates a project with an id chosen by the caller (who may have granted on it already). */
  public Project createProject(String name, ProjectId id) {
    Project project = new Project(id, Names.check("project", name));
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
          store.createWarehouse(warehouse);
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
    Warehouse updated =
        withNewSecret(
            credential,
            newSecret -> {
              Warehouse changed = current.withStorage(profile, newSecret != null ? newSecret : current.credentialId());
              store.updateWarehouseStorage(current, changed);
              return changed;
            });
    warehouses.invalidate(id);
    if (credential.isPresent() && current.credentialId() != null) {
      retire(current.credentialId());
    }
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
        secrets.delete(secretId);
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
    store.renameWarehouse(id, Names.check("warehouse", newName));
    warehouses.invalidate(id);
    return warehouse(id);
  }

  public void dropWarehouse(WarehouseId id) {
    Optional<SecretId> credential = store.warehouse(id).flatMap(Warehouse::credential);
    store.dropWarehouse(id);
    warehouses.invalidate(id);
    credential.ifPresent(this::retire);
  }

  /** Deletes a credential once no server can still be using it. */
  private void retire(SecretId id) {
    scheduler.schedule(
        () -> {
          try {
            secrets.delete(id);
          } catch (RuntimeException e) {
            LOG.warn("Cannot delete the replaced storage credential {}: {}", id, e.getMessage());
          }
        },
        secretRetention.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
