package io.floe.spi.tenancy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A warehouse: a named home for namespaces, tables and views inside a project, bound to one
 * storage profile. Table and view locations must lie under {@link #allowedLocations()}.
 *
 * @param extraLocations location roots allowed in addition to the storage profile's own root
 */
public record Warehouse(
    WarehouseId id,
    ProjectId projectId,
    String name,
    StorageProfile storage,
    List<String> extraLocations) {
  public Warehouse {
    requireNonNull(id, "id is null");
    requireNonNull(projectId, "projectId is null");
    requireNonNull(name, "name is null");
    requireNonNull(storage, "storage is null");
    extraLocations = List.copyOf(requireNonNull(extraLocations, "extraLocations is null"));
  }

  /** The location roots a table or view of this warehouse may live under; the first is the default. */
  public List<String> allowedLocations() {
    if (extraLocations.isEmpty()) {
      return List.of(storage.root());
    }
    java.util.ArrayList<String> all = new java.util.ArrayList<>(extraLocations.size() + 1);
    all.add(storage.root());
    all.addAll(extraLocations);
    return List.copyOf(all);
  }

  public Warehouse withName(String newName) {
    return new Warehouse(id, projectId, newName, storage, extraLocations);
  }
}
