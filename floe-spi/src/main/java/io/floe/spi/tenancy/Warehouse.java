package io.floe.spi.tenancy;

import static java.util.Objects.requireNonNull;

import io.floe.spi.secrets.SecretId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A warehouse: a named home for namespaces, tables and views inside a project, bound to one
 * storage profile. Table and view locations must lie under {@link #allowedLocations()}.
 *
 * @param extraLocations location roots allowed in addition to the storage profile's own root
 * @param credentialId the stored secret holding the storage's long-lived credential, or null
 *     when the storage needs none (local files) or uses the server's own identity
 */
public record Warehouse(
    WarehouseId id,
    ProjectId projectId,
    String name,
    StorageProfile storage,
    List<String> extraLocations,
    SecretId credentialId) {
  public Warehouse {
    requireNonNull(id, "id is null");
    requireNonNull(projectId, "projectId is null");
    requireNonNull(name, "name is null");
    requireNonNull(storage, "storage is null");
    extraLocations = List.copyOf(requireNonNull(extraLocations, "extraLocations is null"));
  }

  public Warehouse(
      WarehouseId id, ProjectId projectId, String name, StorageProfile storage, List<String> extraLocations) {
    this(id, projectId, name, storage, extraLocations, null);
  }

  public Optional<SecretId> credential() {
    return Optional.ofNullable(credentialId);
  }

  /** The location roots a table or view of this warehouse may live under; the first is the default. */
  public List<String> allowedLocations() {
    if (extraLocations.isEmpty()) {
      return List.of(storage.root());
    }
    List<String> all = new ArrayList<>(extraLocations.size() + 1);
    all.add(storage.root());
    all.addAll(extraLocations);
    return List.copyOf(all);
  }

  public Warehouse withName(String newName) {
    return new Warehouse(id, projectId, newName, storage, extraLocations, credentialId);
  }

  public Warehouse withStorage(StorageProfile newStorage, SecretId newCredentialId) {
    return new Warehouse(id, projectId, name, newStorage, extraLocations, newCredentialId);
  }
}
