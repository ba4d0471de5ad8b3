package io.floe.spi.store;

import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.view.ViewMetadata;

/**
 * The source of truth for what exists: projects, warehouses, namespaces, tables and views, and
 * which metadata is current for each table and view.
 *
 * <p>Every mutating method is atomic: it either applies entirely or not at all. A table's or
 * view's name is unique across tables and views of its namespace. Implementations are thread-safe
 * and are shared by all requests of a server; several servers may share one store.
 *
 * <p>Failures of the underlying database surface as {@link io.floe.spi.error.UnavailableException}.
 */
public interface CatalogStore {

  // ---- projects ----

  /**
   * Creates a project.
   *
   * @throws io.floe.spi.error.AlreadyExistsException if a project of that name exists
   */
  void createProject(Project project);

  /** Returns the project with that id, if any. */
  Optional<Project> project(ProjectId id);

  /** Returns the project with that name, if any. */
  Optional<Project> projectByName(String name);

  /** Returns every project, ordered by name. */
  List<Project> listProjects();

  /**
   * Renames a project.
   *
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.AlreadyExistsException if the new name is taken
   */
  void renameProject(ProjectId id, String newName);

  /**
   * Deletes a project.
   *
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.NotEmptyException if it still has warehouses
   */
  void dropProject(ProjectId id);

  // ---- warehouses ----

  /**
   * Creates a warehouse.
   *
   * @throws io.floe.spi.error.NotFoundException if its project does not exist
   * @throws io.floe.spi.error.AlreadyExistsException if the project has a warehouse of that name
   */
  void createWarehouse(Warehouse warehouse);

  /** Returns the warehouse with that id, if any. */
  Optional<Warehouse> warehouse(WarehouseId id);

  /** Returns the warehouse of that name in a project, if any. */
  Optional<Warehouse> warehouseByName(ProjectId project, String name);

  /** Returns the warehouses of a project, ordered by name. */
  List<Warehouse> listWarehouses(ProjectId project);

  /**
   * Renames a warehouse; nothing else of it changes, whatever changes concurrently.
   *
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.AlreadyExistsException if the new name is taken in the project
   */
  void renameWarehouse(WarehouseId id, String newName);

  /**
   * Replaces a warehouse's storage profile and credential, provided they are still those of
   * {@code expected} (a compare-and-swap: of two concurrent changes, one fails rather than one
   * being lost); its name and everything else stay.
   *
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.CommitConflictException if its storage changed since {@code expected}
   */
  void updateWarehouseStorage(Warehouse expected, Warehouse updated);

  /**
   * Deletes a warehouse.
   *
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.NotEmptyException if it still has namespaces
   */
  void dropWarehouse(WarehouseId id);

  // ---- namespaces ----

  /**
   * Creates a namespace. Its parent, when it has one, must exist.
   *
   * @throws io.floe.spi.error.AlreadyExistsException if it exists
   * @throws io.floe.spi.error.NotFoundException if its parent does not exist
   */
  void createNamespace(WarehouseId warehouse, NamespaceEntry namespace);

  /** Returns a namespace, if it exists. */
  Optional<NamespaceEntry> namespace(WarehouseId warehouse, Namespace name, ReadMode mode);

  /**
   * Lists the direct children of {@code parent} (the top level when it is empty), ordered by
   * name.
   *
   * @throws io.floe.spi.error.NotFoundException if {@code parent} is not empty and does not exist
   */
  default Page<Namespace> listNamespaces(
      WarehouseId warehouse, Namespace parent, PageRequest page, ReadMode mode) {
    return listNamespaces(warehouse, parent, page, mode, null);
  }

  /**
   * Lists the direct children of {@code parent} whose ids are in {@code only} (all of them when
   * it is null), ordered by name: a listing for a caller who sees some of them only.
   *
   * @throws io.floe.spi.error.NotFoundException if {@code parent} is not empty and does not exist
   */
  Page<Namespace> listNamespaces(
      WarehouseId warehouse, Namespace parent, PageRequest page, ReadMode mode, Set<UUID> only);

  /**
   * The ids of a namespace's ancestors and its own, top level first; empty if it does not exist.
   */
  List<UUID> namespacePath(WarehouseId warehouse, Namespace name, ReadMode mode);

  /**
   * Where a namespace sits, found by its id; empty if it no longer exists. A namespace never
   * moves, so the answer may be kept for its lifetime.
   */
  Optional<NamespacePath> namespacePath(UUID namespaceId);

  /** The ids of the namespaces that hold these tables and views (those that exist). */
  Set<UUID> tabularNamespaces(Set<UUID> tabularIds);

  /**
   * Sets and removes properties of a namespace in one step.
   *
   * @return the namespace as it was just before the change
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   */
  NamespaceEntry updateNamespaceProperties(
      WarehouseId warehouse, Namespace name, Map<String, String> updates, Set<String> removals);

  /**
   * Deletes a namespace.
   *
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.NotEmptyException if it holds tables, views or namespaces
   */
  void dropNamespace(WarehouseId warehouse, Namespace name);

  // ---- tables ----

  /** Returns a table with its current metadata, if it exists. Never reads object storage. */
  Optional<TableEntry> table(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode);

  /**
   * Returns only a table's current metadata location, if it exists: the cheap check that lets a
   * caller reuse what it already built from that metadata.
   */
  default Optional<String> tableMetadataLocation(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return table(warehouse, identifier, mode).map(TableEntry::metadataLocation);
  }

  /**
   * Lists the tables of a namespace, ordered by name.
   *
   * @throws io.floe.spi.error.NotFoundException if the namespace does not exist
   */
  default Page<TableIdentifier> listTables(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode) {
    return listTables(warehouse, namespace, page, mode, null);
  }

  /** Lists the tables of a namespace whose ids are in {@code only} (all when it is null). */
  Page<TableIdentifier> listTables(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, Set<UUID> only);

  /**
   * A table's or view's id and namespace, if it exists; for tables as cheap as
   * {@link #tableMetadataLocation}.
   */
  Optional<TabularRef> tabularRef(WarehouseId warehouse, TableIdentifier identifier, boolean view);

  /**
   * Applies every write in one transaction: all take effect or none does.
   *
   * @throws io.floe.spi.error.CommitConflictException if an update's base is no longer current
   * @throws io.floe.spi.error.AlreadyExistsException if a created name is taken
   * @throws io.floe.spi.error.NotFoundException if a namespace or an updated table is missing
   */
  void commitTables(WarehouseId warehouse, List<TableWrite> writes);

  /**
   * Deletes a table's entry.
   *
   * @return the entry as it was just before deletion
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   */
  default TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier) {
    return dropTable(warehouse, identifier, null);
  }

  /**
   * Deletes a table's entry and, when {@code purgeTask} is not null, schedules in the same
   * transaction a background task of that kind to delete its files (its payload names the table's
   * id, name and the metadata location it had): the drop and its purge commit together or not at
   * all.
   *
   * @return the entry as it was just before deletion
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   */
  default TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier, String purgeTask) {
    return dropTable(warehouse, identifier, purgeTask, null);
  }

  /**
   * Drops a table as {@link #dropTable(WarehouseId, TableIdentifier, String)} does, provided the
   * name still belongs to the table with id {@code expected} (any table when it is null).
   *
   * @throws io.floe.spi.error.CommitConflictException if another table holds the name now
   */
  TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier, String purgeTask, TabularId expected);

  /**
   * Returns the table whose location is {@code location}, lies inside it or contains it, if any:
   * a read for checks made outside a commit, such as a staged create's. Commits make the same
   * check themselves, in their transaction.
   */
  Optional<TableIdentifier> tableOverlapping(WarehouseId warehouse, String location);

  /**
   * Renames a table, possibly into another namespace of the same warehouse.
   *
   * @throws io.floe.spi.error.NotFoundException if the table or the target namespace is missing
   * @throws io.floe.spi.error.AlreadyExistsException if the target name is taken
   */
  default void renameTable(WarehouseId warehouse, TableIdentifier from, TableIdentifier to) {
    renameTable(warehouse, from, to, null);
  }

  /**
   * Renames a table, provided {@code from} still names the table with id {@code expected} (any
   * table when it is null).
   *
   * @throws io.floe.spi.error.CommitConflictException if another table holds the name now
   */
  void renameTable(WarehouseId warehouse, TableIdentifier from, TableIdentifier to, TabularId expected);

  // ---- views ----

  /** Returns a view with its current metadata, if it exists. */
  Optional<ViewEntry> view(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode);

  /**
   * Lists the views of a namespace, ordered by name.
   *
   * @throws io.floe.spi.error.NotFoundException if the namespace does not exist
   */
  default Page<TableIdentifier> listViews(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode) {
    return listViews(warehouse, namespace, page, mode, null);
  }

  /** Lists the views of a namespace whose ids are in {@code only} (all when it is null). */
  Page<TableIdentifier> listViews(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, Set<UUID> only);

  /**
   * Creates a view.
   *
   * @throws io.floe.spi.error.AlreadyExistsException if the name is taken by a table or view
   * @throws io.floe.spi.error.NotFoundException if the namespace does not exist
   */
  void createView(WarehouseId warehouse, ViewEntry view);

  /**
   * Swaps a view's metadata, provided its pointer still equals {@code base}'s location.
   *
   * @throws io.floe.spi.error.CommitConflictException if the view changed meanwhile
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   */
  void replaceView(WarehouseId warehouse, TabularId id, ViewMetadata base, ViewMetadata metadata);

  /**
   * Deletes a view's entry.
   *
   * @return the entry as it was just before deletion
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   */
  default ViewEntry dropView(WarehouseId warehouse, TableIdentifier identifier) {
    return dropView(warehouse, identifier, null);
  }

  /**
   * Drops a view, provided the name still belongs to the view with id {@code expected} (any view
   * when it is null).
   *
   * @throws io.floe.spi.error.CommitConflictException if another view holds the name now
   */
  ViewEntry dropView(WarehouseId warehouse, TableIdentifier identifier, TabularId expected);

  /**
   * Renames a view, possibly into another namespace of the same warehouse.
   *
   * @throws io.floe.spi.error.NotFoundException if the view or the target namespace is missing
   * @throws io.floe.spi.error.AlreadyExistsException if the target name is taken
   */
  default void renameView(WarehouseId warehouse, TableIdentifier from, TableIdentifier to) {
    renameView(warehouse, from, to, null);
  }

  /** Renames a view, provided {@code from} still names the view with id {@code expected}. */
  void renameView(WarehouseId warehouse, TableIdentifier from, TableIdentifier to, TabularId expected);
}
