package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NameCheck;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TableEntry;
import io.floe.spi.store.TableWrite;
import io.floe.spi.store.DeleteProfile;
import io.floe.spi.store.DeletedTabular;
import io.floe.spi.store.NamespaceDrop;
import io.floe.spi.store.Protectable;
import io.floe.spi.store.TabularDrop;
import io.floe.spi.store.TabularId;
import io.floe.spi.store.ViewEntry;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import io.floe.spi.store.TabularRef;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.view.ViewMetadata;

/**
 * {@link CatalogStore} on PostgreSQL 15+, one class per aggregate behind it: {@link TenancyRows}
 * (projects and warehouses), {@link NamespaceRows}, {@link TableRows} and {@link ViewRows} (over
 * the {@link TabularRows} they share). Every change is one unit of work ({@link Transactions})
 * that each {@link MutationParticipant} joins before it commits.
 */
public final class PostgresCatalogStore implements CatalogStore, AutoCloseable {
  private final TenancyRows tenancy;
  private final NamespaceRows namespaces;
  private final TableRows tables;
  private final ViewRows views;
  private final TabularRows tabulars;
  private final TablePointers pointers;
  private final Listings listings;
  private final Deletions deletions;
  private final Protections protections;

  public PostgresCatalogStore(Database database) {
    this(database, new SimpleMeterRegistry(), Caching.NONE);
  }

  /**
   * What the store keeps in memory: table pointers (with the heartbeat and the longest an entry is
   * served after it was read, see {@link TablePointers} for the bounds) and parsed table metadata
   * by metadata location, up to about {@code metadataBytes} of memory.
   */
  public record Caching(boolean pointers, Duration heartbeat, Duration maxAge, long metadataBytes) {
    public static final Caching NONE = new Caching(false, Duration.ofSeconds(1), Duration.ofSeconds(30), 32L << 20);
  }

  public PostgresCatalogStore(Database database, MeterRegistry metrics, Caching caching) {
    this(database, metrics, caching, List.of());
  }

  /**
   * A store whose table loads and commits are timed in {@code floe.store.operation}.
   *
   * @param caching what to keep in memory; table pointers never with a read replica, whose lag
   *     the notifications that keep them current do not cover
   * @param participants work that joins every change's transaction, after the idempotency claim
   */
  public PostgresCatalogStore(
      Database database, MeterRegistry metrics, Caching caching, List<MutationParticipant> participants) {
    requireNonNull(database, "database is null");
    List<MutationParticipant> all = new ArrayList<>();
    all.add(new IdempotencyParticipant());
    all.addAll(participants);
    // last, after every row lock the change took (see PostgresEventOutbox)
    all.add(new OutboxParticipant());
    java.util.concurrent.atomic.AtomicLong listingEpoch = new java.util.concurrent.atomic.AtomicLong();
    Transactions tx = new Transactions(database, all, listingEpoch);
    this.pointers =
        caching.pointers() && !database.hasReplica()
            ? new TablePointers(database, metrics, caching.heartbeat(), caching.maxAge(), listingEpoch)
            : null;
    // listings are cached on the same terms as pointers: only without a replica, whose lag no
    // notification would cover
    this.listings = pointers == null ? null : new Listings(listingEpoch, pointers, caching.maxAge(), metrics);
    this.tabulars = new TabularRows(tx);
    this.tenancy = new TenancyRows(tx);
    this.namespaces = new NamespaceRows(tx);
    this.tables = new TableRows(tx, tabulars, pointers, caching.metadataBytes(), metrics);
    this.views = new ViewRows(tx, tabulars);
    this.deletions = new Deletions(tx);
    this.protections = new Protections(tx);
  }

  // ---- protection and soft deletion

  @Override
  public boolean isProtected(WarehouseId warehouse, Protectable kind, UUID id) {
    return protections.isProtected(warehouse, kind, id);
  }

  @Override
  public void setProtected(WarehouseId warehouse, Protectable kind, UUID id, boolean value) {
    protections.setProtected(warehouse, kind, id, value);
  }

  @Override
  public DeleteProfile deleteProfile(WarehouseId warehouse) {
    return protections.deleteProfile(warehouse);
  }

  @Override
  public void setDeleteProfile(WarehouseId warehouse, DeleteProfile profile) {
    protections.setDeleteProfile(warehouse, profile);
  }

  @Override
  public Optional<io.floe.spi.approval.WebhookSettings> approvalWebhook(WarehouseId warehouse) {
    return protections.approvalWebhook(warehouse);
  }

  @Override
  public void setApprovalWebhook(WarehouseId warehouse, io.floe.spi.approval.WebhookSettings webhook) {
    protections.setApprovalWebhook(warehouse, webhook);
  }

  @Override
  public Page<DeletedTabular> listDeleted(WarehouseId warehouse, PageRequest page) {
    return deletions.list(warehouse, page);
  }

  @Override
  public Optional<DeletedTabular> deleted(WarehouseId warehouse, TabularId id) {
    return deletions.deleted(warehouse, id);
  }

  @Override
  public DeletedTabular undrop(WarehouseId warehouse, TabularId id) {
    return deletions.undrop(warehouse, id);
  }

  @Override
  public boolean expire(WarehouseId warehouse, TabularId id, UUID task) {
    return deletions.expire(warehouse, id, task);
  }

  // ---- projects and warehouses

  @Override
  public void createProject(Project project) {
    tenancy.createProject(project);
  }

  @Override
  public Optional<Project> project(ProjectId id) {
    return tenancy.project(id);
  }

  @Override
  public Optional<Project> projectByName(String name) {
    return tenancy.projectByName(name);
  }

  @Override
  public List<Project> listProjects() {
    return tenancy.listProjects();
  }

  @Override
  public void renameProject(ProjectId id, String newName) {
    tenancy.renameProject(id, newName);
  }

  @Override
  public void dropProject(ProjectId id) {
    tenancy.dropProject(id);
  }

  @Override
  public void createWarehouse(Warehouse warehouse) {
    tenancy.createWarehouse(warehouse);
  }

  @Override
  public Optional<Warehouse> warehouse(WarehouseId id) {
    return tenancy.warehouse(id);
  }

  @Override
  public Optional<Warehouse> warehouseByName(ProjectId project, String name) {
    return tenancy.warehouseByName(project, name);
  }

  @Override
  public List<Warehouse> listWarehouses(ProjectId project) {
    return tenancy.listWarehouses(project);
  }

  @Override
  public void renameWarehouse(WarehouseId id, String newName) {
    tenancy.renameWarehouse(id, newName);
  }

  @Override
  public void updateWarehouseStorage(Warehouse expected, Warehouse updated) {
    tenancy.updateWarehouseStorage(expected, updated);
  }

  @Override
  public void dropWarehouse(WarehouseId id, boolean force) {
    protections.dropWarehouse(id, force);
  }

  // ---- namespaces

  @Override
  public void createNamespace(WarehouseId warehouse, NamespaceEntry namespace) {
    namespaces.createNamespace(warehouse, namespace);
  }

  @Override
  public Optional<NamespaceEntry> namespace(WarehouseId warehouse, Namespace name, ReadMode mode) {
    return namespaces.namespace(warehouse, name, mode);
  }

  @Override
  public Page<Namespace> listNamespaces(
      WarehouseId warehouse, Namespace parent, PageRequest page, ReadMode mode, Set<UUID> only) {
    return listed(
        warehouse, "namespace", parent, page, mode, only,
        filter -> namespaces.listNamespaces(warehouse, parent, page, mode, filter));
  }

  /**
   * A listing, from the cache when it may come from there: read from the primary (inside a
   * commit) and listings filtered for a caller ({@code only}) always go to the database.
   */
  private <T> Page<T> listed(
      WarehouseId warehouse, String kind, Namespace parent, PageRequest page, ReadMode mode, Set<UUID> only,
      java.util.function.Function<Set<UUID>, Page<T>> read) {
    if (listings == null || only != null || mode == ReadMode.PRIMARY) {
      return read.apply(only);
    }
    return listings.get(new Listings.Key(warehouse, kind, parent, page), () -> read.apply(null));
  }

  @Override
  public List<UUID> namespacePath(WarehouseId warehouse, Namespace name, ReadMode mode) {
    return namespaces.namespacePath(warehouse, name, mode);
  }

  @Override
  public Optional<io.floe.spi.store.NamespacePath> namespacePath(UUID namespaceId) {
    return namespaces.namespacePath(namespaceId);
  }

  @Override
  public Set<UUID> tabularNamespaces(Set<UUID> tabularIds) {
    return tabulars.namespacesOf(tabularIds);
  }

  @Override
  public NamespaceEntry updateNamespaceProperties(
      WarehouseId warehouse, Namespace name, Map<String, String> updates, Set<String> removals) {
    return namespaces.updateNamespaceProperties(warehouse, name, updates, removals);
  }

  @Override
  public Dropped dropNamespace(WarehouseId warehouse, Namespace name, NamespaceDrop drop) {
    Deletions.NamespaceDropped dropped;
    List<String> keys = List.of();
    try {
      dropped = namespaces.dropNamespace(warehouse, name, drop);
      keys = dropped.keys();
    } finally {
      tables.invalidate(keys);
    }
    return dropped.dropped();
  }

  // ---- tables

  @Override
  public Optional<TableEntry> table(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return tables.table(warehouse, identifier, mode);
  }

  @Override
  public Optional<String> tableMetadataLocation(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return tables.tableMetadataLocation(warehouse, identifier, mode);
  }

  @Override
  public Optional<NameCheck> nameCheck(WarehouseId warehouse, TableIdentifier identifier) {
    return namespaces.nameCheck(warehouse, identifier);
  }

  @Override
  public Page<TableIdentifier> listTables(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, Set<UUID> only) {
    return listed(
        warehouse, TabularRows.TABLE, namespace, page, mode, only,
        filter -> tables.listTables(warehouse, namespace, page, mode, filter));
  }

  @Override
  public Optional<TabularRef> tabularRef(WarehouseId warehouse, TableIdentifier identifier, boolean view) {
    return view ? tabulars.ref(warehouse, identifier, TabularRows.VIEW) : tables.tabularRef(warehouse, identifier);
  }

  @Override
  public void commitTables(WarehouseId warehouse, List<TableWrite> writes) {
    tables.commitTables(warehouse, writes);
  }

  @Override
  public TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier, TabularDrop drop) {
    return tables.dropTable(warehouse, identifier, drop);
  }

  @Override
  public Optional<TableIdentifier> tableOverlapping(WarehouseId warehouse, String location) {
    return tables.tableOverlapping(warehouse, location);
  }

  @Override
  public void renameTable(WarehouseId warehouse, TableIdentifier from, TableIdentifier to, TabularId expected) {
    tables.renameTable(warehouse, from, to, expected);
  }

  // ---- views

  @Override
  public Optional<ViewEntry> view(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return views.view(warehouse, identifier, mode);
  }

  @Override
  public Page<TableIdentifier> listViews(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, Set<UUID> only) {
    return listed(
        warehouse, TabularRows.VIEW, namespace, page, mode, only,
        filter -> views.listViews(warehouse, namespace, page, mode, filter));
  }

  @Override
  public void createView(WarehouseId warehouse, ViewEntry view) {
    views.createView(warehouse, view);
  }

  @Override
  public void replaceView(WarehouseId warehouse, TabularId id, ViewMetadata base, ViewMetadata metadata) {
    views.replaceView(warehouse, id, base, metadata);
  }

  @Override
  public ViewEntry dropView(WarehouseId warehouse, TableIdentifier identifier, TabularDrop drop) {
    return views.dropView(warehouse, identifier, drop);
  }

  @Override
  public void renameView(WarehouseId warehouse, TableIdentifier from, TableIdentifier to, TabularId expected) {
    views.renameView(warehouse, from, to, expected);
  }

  @Override
  public void close() {
    if (pointers != null) {
      pointers.close();
    }
  }
}
