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
  default void dropWarehouse(WarehouseId id) {
    dropWarehouse(id, false);
  }

  /**
   * Drops an empty warehouse (no namespaces, no soft-dropped tables or views).
   *
   * @throws io.floe.spi.error.ConflictException if it is protected and the drop is not forced
   */
  void dropWarehouse(WarehouseId id, boolean force);

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
  default void dropNamespace(WarehouseId warehouse, Namespace name) {
    dropNamespace(warehouse, name, NamespaceDrop.EMPTY_ONLY);
  }

  /**
   * Drops a namespace; a recursive drop drops what it holds in the same transaction (tables and
   * views as {@code drop} says: soft or hard, purged or not).
   *
   * @return what was dropped for good: the namespaces and the hard-dropped tables and views
   * @throws io.floe.spi.error.NotEmptyException if it holds anything and the drop is not recursive
   * @throws io.floe.spi.error.ConflictException if it, or anything it holds, is protected and the
   *     drop is not forced
   */
  Dropped dropNamespace(WarehouseId warehouse, Namespace name, NamespaceDrop drop);

  /** What a drop removed for good. */
  record Dropped(List<UUID> namespaces, List<TabularId> tables, List<TabularId> views) {}

  // ---- protection and soft deletion ----

  /** Whether an object is protected. @throws io.floe.spi.error.NotFoundException if it is missing */
  boolean isProtected(WarehouseId warehouse, Protectable kind, UUID id);

  /** Protects an object, or lifts its protection. @throws io.floe.spi.error.NotFoundException */
  void setProtected(WarehouseId warehouse, Protectable kind, UUID id, boolean value);

  DeleteProfile deleteProfile(WarehouseId warehouse);

  /** A warehouse's change-approval webhook, if it has one. */
  Optional<io.floe.spi.approval.WebhookSettings> approvalWebhook(WarehouseId warehouse);

  /** Sets (or with null, removes) a warehouse's change-approval webhook. */
  void setApprovalWebhook(WarehouseId warehouse, io.floe.spi.approval.WebhookSettings webhook);

  void setDeleteProfile(WarehouseId warehouse, DeleteProfile profile);

  /** A warehouse's soft-dropped tables and views, most recently dropped first. */
  Page<DeletedTabular> listDeleted(WarehouseId warehouse, PageRequest page);

  /**
   * Puts a soft-dropped table or view back into its namespace, under its name.
   *
   * @throws io.floe.spi.error.NotFoundException if there is no such soft-dropped object
   * @throws io.floe.spi.error.ConflictException if a live object holds its name, or its namespace
   *     is gone
   */
  DeletedTabular undrop(WarehouseId warehouse, TabularId id);

  /** A soft-dropped table or view of a warehouse, if there is one with that id. */
  Optional<DeletedTabular> deleted(WarehouseId warehouse, TabularId id);

  /**
   * Drops a soft-dropped table or view for good once its expiration task runs (scheduling its
   * purge, if the drop asked for one, in the same transaction). Does nothing when it was undropped
   * (or dropped again, with another task) meanwhile.
   *
   * @return whether it was dropped for good
   */
  boolean expire(WarehouseId warehouse, TabularId id, UUID task);

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
   * The namespace of a name and whether a live table or view holds the name, read from the
   * primary; empty when the namespace does not exist. A store may answer in one round trip.
   */
  default Optional<NameCheck> nameCheck(WarehouseId warehouse, TableIdentifier identifier) {
    return namespace(warehouse, identifier.namespace(), ReadMode.PRIMARY)
        .map(
            namespace ->
                new NameCheck(
                    namespace,
                    tableMetadataLocation(warehouse, identifier, ReadMode.PRIMARY).isPresent(),
                    view(warehouse, identifier, ReadMode.PRIMARY).isPresent()));
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

  /** Drops a table for good, keeping its files. */
  default TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier) {
    return dropTable(warehouse, identifier, TabularDrop.hard(null, false));
  }

  /**
   * Drops a table. A hard drop deletes its entry and, with purge, schedules in the same
   * transaction a {@link TabularDrop#PURGE_TASK} task to delete its files (its payload names the
   * table's id, name and metadata location): the drop and its purge commit together or not at
   * all. A soft drop hides the table and schedules a {@link TabularDrop#EXPIRE_TASK} task for when
   * it expires.
   *
   * @return the entry as it was just before
   * @throws io.floe.spi.error.NotFoundException if it does not exist
   * @throws io.floe.spi.error.CommitConflictException if another table holds the name now
   * @throws io.floe.spi.error.ConflictException if it is protected and the drop is not forced
   */
  TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier, TabularDrop drop);

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

  /** Drops a view for good. */
  default ViewEntry dropView(WarehouseId warehouse, TableIdentifier identifier) {
    return dropView(warehouse, identifier, TabularDrop.hard(null, false));
  }

  /** Drops a view, as {@link #dropTable(WarehouseId, TableIdentifier, TabularDrop)} does a table. */
  ViewEntry dropView(WarehouseId warehouse, TableIdentifier identifier, TabularDrop drop);

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
