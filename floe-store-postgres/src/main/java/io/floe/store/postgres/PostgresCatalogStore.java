package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.FloeException;
import io.floe.spi.error.NotEmptyException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TableEntry;
import io.floe.spi.store.TableWrite;
import io.floe.spi.store.TabularId;
import io.floe.spi.store.ViewEntry;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.StorageProfileParser;
import io.floe.spi.secrets.SecretId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.TableMetadataRows.MetadataLogRow;
import io.floe.store.postgres.TableMetadataRows.SnapshotLogRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.JsonUtil;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/** {@link CatalogStore} on PostgreSQL 15+. */
public final class PostgresCatalogStore implements CatalogStore, AutoCloseable {
  private static final String TABLE = "table";
  /** Joins namespace levels in page tokens; names never hold control characters. */
  private static final String NAMESPACE_SEPARATOR = "\u001f";
  private static final String VIEW = "view";
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final DataSource writer;
  private final java.time.Duration resolveDeadline;
  private final DataSource reader;
  private final Timer loadTimer;
  private final Timer commitTimer;
  /**
   * Parsed metadata by metadata location. A location names one immutable version, so an entry
   * cannot go stale; it spares a load or a commit from reading the table's history rows when the
   * pointer still names a version this server has seen. Weighed by snapshots, the bulk of it.
   */
  private final Cache<String, TableMetadata> metadataCache =
      Caffeine.newBuilder()
          .maximumWeight(200_000)
          .weigher((String location, TableMetadata metadata) -> 1 + metadata.snapshots().size())
          .recordStats()
          .build();

  private final TablePointers pointers;

  public PostgresCatalogStore(Database database) {
    this(database, new SimpleMeterRegistry(), null);
  }

  /**
   * How the table-pointer cache stays current: a heartbeat on its listening connection and the
   * longest an entry is served after it was read. See {@link TablePointers} for the bounds.
   */
  public record PointerCache(Duration heartbeat, Duration maxAge) {
    public static final PointerCache DEFAULT = new PointerCache(Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /**
   * A store whose table loads and commits are timed in {@code floe.store.operation}.
   *
   * @param pointerCache keep table pointers in memory, invalidated by PostgreSQL notifications;
   *     null for none (and none with a read replica, whose lag the notifications do not cover)
   */
  public PostgresCatalogStore(Database database, MeterRegistry metrics, PointerCache pointerCache) {
    this.writer = requireNonNull(database, "database is null").writer();
    this.resolveDeadline = database.commitResolveDeadline();
    this.reader = database.reader();
    this.pointers =
        pointerCache != null && !database.hasReplica()
            ? new TablePointers(database, metrics, pointerCache.heartbeat(), pointerCache.maxAge())
            : null;
    this.loadTimer = operationTimer(metrics, "load-table");
    this.commitTimer = operationTimer(metrics, "commit-tables");
    CaffeineCacheMetrics.monitor(metrics, metadataCache, "table-metadata");
  }

  private static Timer operationTimer(MeterRegistry metrics, String operation) {
    return Timer.builder("floe.store.operation")
        .description("Time spent in the database per store operation")
        .tag("operation", operation)
        .register(metrics);
  }

  private DataSource source(ReadMode mode) {
    return mode == ReadMode.PRIMARY ? writer : reader;
  }

  // ---------------------------------------------------------------- projects

  @Override
  public void createProject(Project project) {
    execute(
        "insert into project (id, name) values (?, ?)",
        null,
        Map.of(Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Project already exists: %s", project.name())),
        project.id().value(),
        project.name());
  }

  @Override
  public Optional<Project> project(ProjectId id) {
    return Jdbc.read(
        reader, c -> queryOne(c, "select id, name from project where id = ?", this::project, id.value()));
  }

  @Override
  public Optional<Project> projectByName(String name) {
    return Jdbc.read(
        reader, c -> queryOne(c, "select id, name from project where name = ?", this::project, name));
  }

  @Override
  public List<Project> listProjects() {
    return Jdbc.read(reader, c -> queryList(c, "select id, name from project order by name", this::project));
  }

  @Override
  public void renameProject(ProjectId id, String newName) {
    execute(
        "update project set name = ?, updated_at = now() where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", id),
        Map.of(Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Project already exists: %s", newName)),
        newName,
        id.value());
  }

  @Override
  public void dropProject(ProjectId id) {
    execute(
        "delete from project where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", id),
        Map.of(Jdbc.FOREIGN_KEY_VIOLATION, () -> new NotEmptyException("Project is not empty: %s", id)),
        id.value());
  }

  private Project project(ResultSet rs) throws SQLException {
    return new Project(new ProjectId(rs.getObject(1, UUID.class)), rs.getString(2));
  }

  // ---------------------------------------------------------------- warehouses

  private static final String WAREHOUSE_COLUMNS =
      "select id, project_id, name, storage_profile::text, extra_locations, credential_id from warehouse ";

  @Override
  public void createWarehouse(Warehouse warehouse) {
    execute(
        "insert into warehouse (id, project_id, name, storage_profile, extra_locations, credential_id)"
            + " values (?, ?, ?, ?::jsonb, ?, ?)",
        null,
        Map.of(
            Jdbc.UNIQUE_VIOLATION,
            () -> new AlreadyExistsException("Warehouse already exists: %s", warehouse.name()),
            Jdbc.FOREIGN_KEY_VIOLATION,
            () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", warehouse.projectId())),
        warehouse.id().value(),
        warehouse.projectId().value(),
        warehouse.name(),
        StorageProfileParser.toJson(warehouse.storage()),
        warehouse.extraLocations().toArray(new String[0]),
        credentialId(warehouse));
  }

  @Override
  public Optional<Warehouse> warehouse(WarehouseId id) {
    return Jdbc.read(
        reader, c -> queryOne(c, WAREHOUSE_COLUMNS + "where id = ?", this::warehouse, id.value()));
  }

  @Override
  public Optional<Warehouse> warehouseByName(ProjectId project, String name) {
    return Jdbc.read(
        reader,
        c ->
            queryOne(
                c,
                WAREHOUSE_COLUMNS + "where project_id = ? and name = ?",
                this::warehouse,
                project.value(),
                name));
  }

  @Override
  public List<Warehouse> listWarehouses(ProjectId project) {
    return Jdbc.read(
        reader,
        c ->
            queryList(
                c, WAREHOUSE_COLUMNS + "where project_id = ? order by name", this::warehouse, project.value()));
  }

  @Override
  public void renameWarehouse(WarehouseId id, String newName) {
    execute(
        "update warehouse set name = ?, updated_at = now() where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", id),
        Map.of(Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Warehouse already exists: %s", newName)),
        newName,
        id.value());
  }

  @Override
  public void updateWarehouseStorage(Warehouse expected, Warehouse updated) {
    Jdbc.mutation(writer, resolveDeadline, c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "update warehouse set storage_profile = ?::jsonb, extra_locations = ?, credential_id = ?,"
                  + " updated_at = now() where id = ? and storage_profile = ?::jsonb"
                  + " and credential_id is not distinct from ?")) {
        s.setString(1, StorageProfileParser.toJson(updated.storage()));
        s.setArray(2, c.createArrayOf("text", updated.extraLocations().toArray(new String[0])));
        s.setObject(3, credentialId(updated));
        s.setObject(4, expected.id().value());
        s.setString(5, StorageProfileParser.toJson(expected.storage()));
        s.setObject(6, credentialId(expected));
        if (s.executeUpdate() == 1) {
          return null;
        }
      }
      if (!exists(c, "select 1 from warehouse where id = ?", expected.id().value())) {
        throw new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", expected.id());
      }
      throw new CommitConflictException(
          "Cannot change the storage of warehouse %s: it was changed concurrently; read it and retry", expected.name());
    });
  }

  @Override
  public void dropWarehouse(WarehouseId id) {
    execute(
        "delete from warehouse where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", id),
        Map.of(Jdbc.FOREIGN_KEY_VIOLATION, () -> new NotEmptyException("Warehouse is not empty: %s", id)),
        id.value());
  }

  private Warehouse warehouse(ResultSet rs) throws SQLException {
    Array extra = rs.getArray(5);
    return new Warehouse(
        new WarehouseId(rs.getObject(1, UUID.class)),
        new ProjectId(rs.getObject(2, UUID.class)),
        rs.getString(3),
        StorageProfileParser.fromJson(rs.getString(4)),
        extra == null ? List.of() : Arrays.asList((String[]) extra.getArray()),
        rs.getObject(6) == null ? null : new SecretId(rs.getObject(6, UUID.class)));
  }

  private static UUID credentialId(Warehouse warehouse) {
    return warehouse.credential().map(SecretId::value).orElse(null);
  }

  // ---------------------------------------------------------------- namespaces

  @Override
  public void createNamespace(WarehouseId warehouse, NamespaceEntry namespace) {
    Jdbc.mutation(writer, resolveDeadline,
        c -> {
          Namespace parent = parent(namespace.name());
          // a share lock on the parent: a concurrent drop of it waits, then sees this child
          if (!parent.isEmpty() && namespaceId(c, warehouse, parent, " for share").isEmpty()) {
            throw new NotFoundException(
                NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", parent);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into namespace (id, warehouse_id, name, parent_name, properties)"
                      + " values (?, ?, ?, ?, ?::jsonb)")) {
            s.setObject(1, namespace.id());
            s.setObject(2, warehouse.value());
            s.setArray(3, levels(c, namespace.name()));
            s.setArray(4, levels(c, parent));
            s.setString(5, json(namespace.properties()));
            s.executeUpdate();
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.UNIQUE_VIOLATION)) {
              throw new AlreadyExistsException("Namespace already exists: %s", namespace.name());
            }
            if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
              throw new NotFoundException(
                  NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", warehouse);
            }
            throw e;
          }
          return null;
        });
  }

  @Override
  public Optional<NamespaceEntry> namespace(WarehouseId warehouse, Namespace name, ReadMode mode) {
    return Jdbc.read(
        source(mode),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, properties::text from namespace where warehouse_id = ? and name = ?")) {
            s.setObject(1, warehouse.value());
            s.setArray(2, levels(c, name));
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new NamespaceEntry(rs.getObject(1, UUID.class), name, stringMap(rs.getString(2))));
            }
          }
        });
  }

  @Override
  public Page<Namespace> listNamespaces(
      WarehouseId warehouse, Namespace parent, PageRequest page, ReadMode mode) {
    return Jdbc.read(
        source(mode),
        c -> {
          if (!parent.isEmpty() && namespaceId(c, warehouse, parent, "").isEmpty()) {
            throw new NotFoundException(
                NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", parent);
          }
          String after = page.token() == null ? null : Pages.decode(page.token());
          List<Namespace> names = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  Pages.sql("select name from namespace where warehouse_id = ? and parent_name = ?", after, page))) {
            s.setObject(1, warehouse.value());
            s.setArray(2, levels(c, parent));
            if (after != null) {
              s.setArray(3, c.createArrayOf("text", after.split(NAMESPACE_SEPARATOR, -1)));
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                names.add(Namespace.of((String[]) rs.getArray(1).getArray()));
              }
            }
          }
          return Pages.of(names, page, name -> String.join(NAMESPACE_SEPARATOR, name.levels()));
        });
  }

  @Override
  public NamespaceEntry updateNamespaceProperties(
      WarehouseId warehouse, Namespace name, Map<String, String> updates, Set<String> removals) {
    return Jdbc.mutation(writer, resolveDeadline,
        c -> {
          UUID id;
          Map<String, String> before;
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, properties::text from namespace where warehouse_id = ? and name = ?"
                      + " for update")) {
            s.setObject(1, warehouse.value());
            s.setArray(2, levels(c, name));
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                throw new NotFoundException(
                    NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", name);
              }
              id = rs.getObject(1, UUID.class);
              before = stringMap(rs.getString(2));
            }
          }
          Map<String, String> after = new TreeMap<>(before);
          removals.forEach(after::remove);
          after.putAll(updates);
          try (PreparedStatement s =
              c.prepareStatement(
                  "update namespace set properties = ?::jsonb, updated_at = now() where id = ?")) {
            s.setString(1, json(after));
            s.setObject(2, id);
            s.executeUpdate();
          }
          return new NamespaceEntry(id, name, before);
        });
  }

  @Override
  public void dropNamespace(WarehouseId warehouse, Namespace name) {
    Jdbc.mutation(writer, resolveDeadline,
        c -> {
          UUID id =
              namespaceId(c, warehouse, name, " for update")
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", name));
          if (exists(c, "select 1 from tabular where namespace_id = ? limit 1", id)) {
            throw new NotEmptyException("Namespace is not empty: %s contains tables or views", name);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "select 1 from namespace where warehouse_id = ? and parent_name = ? limit 1")) {
            s.setObject(1, warehouse.value());
            s.setArray(2, levels(c, name));
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                throw new NotEmptyException("Namespace is not empty: %s contains namespaces", name);
              }
            }
          }
          try (PreparedStatement s = c.prepareStatement("delete from namespace where id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
              throw new NotEmptyException("Namespace is not empty: %s", name);
            }
            throw e;
          }
          return null;
        });
  }

  /** A namespace's id; {@code lock} is empty or a row-locking clause. */
  private Optional<UUID> namespaceId(Connection c, WarehouseId warehouse, Namespace name, String lock)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select id from namespace where warehouse_id = ? and name = ?" + lock)) {
      s.setObject(1, warehouse.value());
      s.setArray(2, levels(c, name));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }

  private UUID requireNamespace(Connection c, WarehouseId warehouse, Namespace name) throws SQLException {
    return namespaceId(c, warehouse, name, "")
        .orElseThrow(
            () -> new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", name));
  }

  private static Namespace parent(Namespace namespace) {
    String[] levels = namespace.levels();
    return Namespace.of(Arrays.copyOf(levels, levels.length - 1));
  }

  // ---------------------------------------------------------------- tabulars (shared)

  private record TabularRow(TabularId id, String metadataLocation, String metadata) {}

  private Optional<TabularRow> tabular(Connection c, WarehouseId warehouse, TableIdentifier identifier, String kind)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select t.id, t.metadata_location, t.metadata from tabular t"
                + " join namespace n on n.id = t.namespace_id"
                + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.kind = ?")) {
      bindName(c, s, warehouse, identifier);
      s.setString(4, kind);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new TabularRow(new TabularId(rs.getObject(1, UUID.class)), rs.getString(2), rs.getString(3)));
      }
    }
  }

  private Page<TableIdentifier> listTabulars(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode, String kind) {
    return Jdbc.read(
        source(mode),
        c -> {
          UUID namespaceId = requireNamespace(c, warehouse, namespace);
          String after = page.token() == null ? null : Pages.decode(page.token());
          List<TableIdentifier> names = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(Pages.sql("select name from tabular where namespace_id = ? and kind = ?", after, page))) {
            s.setObject(1, namespaceId);
            s.setString(2, kind);
            if (after != null) {
              s.setString(3, after);
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                names.add(TableIdentifier.of(namespace, rs.getString(1)));
              }
            }
          }
          return Pages.of(names, page, TableIdentifier::name);
        });
  }

  private void renameTabular(WarehouseId warehouse, TableIdentifier from, TableIdentifier to, String kind) {
    Jdbc.mutation(writer, resolveDeadline,
        c -> {
          NotFoundException.Kind missing =
              kind.equals(TABLE) ? NotFoundException.Kind.TABLE : NotFoundException.Kind.VIEW;
          TabularRow row =
              tabular(c, warehouse, from, kind)
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              missing, "%s does not exist: %s", kind.equals(TABLE) ? "Table" : "View", from));
          UUID target = requireNamespace(c, warehouse, to.namespace());
          try (PreparedStatement s =
              c.prepareStatement(
                  "update tabular set namespace_id = ?, name = ?, updated_at = now() where id = ?")) {
            s.setObject(1, target);
            s.setString(2, to.name());
            s.setObject(3, row.id().value());
            s.executeUpdate();
            notifyChanged(c, List.of(key(warehouse, from), key(warehouse, to)));
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.UNIQUE_VIOLATION)) {
              throw new AlreadyExistsException(
                  "Cannot rename %s to %s. %s already exists", from, to, kindName(existingKind(warehouse, to)));
            }
            if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
              // the target namespace was dropped between the lookup and the update
              throw new NotFoundException(
                  NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", to.namespace());
            }
            throw e;
          }
          return null;
        });
  }

  /** The kind of the tabular that holds a name, read outside the failed transaction. */
  private String existingKind(WarehouseId warehouse, TableIdentifier identifier) {
    return Jdbc.read(
        writer,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select t.kind from tabular t join namespace n on n.id = t.namespace_id"
                      + " where n.warehouse_id = ? and n.name = ? and t.name = ?")) {
            bindName(c, s, warehouse, identifier);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? rs.getString(1) : TABLE;
            }
          }
        });
  }

  private static String kindName(String kind) {
    return kind.equals(VIEW) ? "View" : "Table";
  }

  private void insertTabular(
      Connection c,
      WarehouseId warehouse,
      TabularId id,
      TableIdentifier identifier,
      String kind,
      String metadataLocation,
      String location,
      String metadata)
      throws SQLException {
    UUID namespaceId = requireNamespace(c, warehouse, identifier.namespace());
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into tabular (id, warehouse_id, namespace_id, name, kind, metadata_location,"
                + " location, location_key, metadata) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, id.value());
      s.setObject(2, warehouse.value());
      s.setObject(3, namespaceId);
      s.setString(4, identifier.name());
      s.setString(5, kind);
      s.setString(6, metadataLocation);
      s.setString(7, location);
      s.setString(8, kind.equals(TABLE) ? TableLocations.key(location) : null);
      s.setString(9, metadata);
      s.executeUpdate();
    } catch (SQLException e) {
      if (Jdbc.is(e, Jdbc.UNIQUE_VIOLATION)) {
        String existing = existingKind(warehouse, identifier);
        if (kind.equals(existing)) {
          throw new AlreadyExistsException("%s already exists: %s", kindName(kind), identifier);
        }
        throw new AlreadyExistsException("%s with same name already exists: %s", kindName(existing), identifier);
      }
      if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
        // the namespace was dropped between the lookup and the insert
        throw new NotFoundException(
            NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", identifier.namespace());
      }
      throw e;
    }
  }

  /** Deletes a tabular row after reading it; children go by cascade. */
  private TabularRow deleteTabular(Connection c, WarehouseId warehouse, TableIdentifier identifier, String kind)
      throws SQLException {
    TabularRow row =
        tabular(c, warehouse, identifier, kind)
            .orElseThrow(
                () ->
                    kind.equals(TABLE)
                        ? new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier)
                        : new NotFoundException(NotFoundException.Kind.VIEW, "View does not exist: %s", identifier));
    try (PreparedStatement s = c.prepareStatement("delete from tabular where id = ?")) {
      s.setObject(1, row.id().value());
      s.executeUpdate();
    }
    return row;
  }

  // ---------------------------------------------------------------- tables

  /**
   * Reads a table and its history in one statement, so that the parts come from one snapshot of
   * the database even while commits land (separate statements could mix two versions).
   */
  private static final String LOAD_TABLE =
      "select t.id, t.metadata_location, t.metadata,"
          + " array(select s.body from table_snapshot s where s.tabular_id = t.id order by s.ordinal),"
          + " array(select l.timestamp_ms from table_snapshot_log l where l.tabular_id = t.id order by l.ordinal),"
          + " array(select l.snapshot_id from table_snapshot_log l where l.tabular_id = t.id order by l.ordinal),"
          + " array(select m.timestamp_ms from table_metadata_log m where m.tabular_id = t.id order by m.ordinal),"
          + " array(select m.file from table_metadata_log m where m.tabular_id = t.id order by m.ordinal)"
          + " from tabular t join namespace n on n.id = t.namespace_id"
          + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.kind = 'table'";

  @Override
  public Optional<TableEntry> table(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    if (pointers != null && mode == ReadMode.REPLICA_OK) {
      TablePointers.Pointer pointer = pointers.get(key(warehouse, identifier));
      TableMetadata cached = pointer == null ? null : metadataCache.getIfPresent(pointer.metadataLocation());
      if (cached != null) {
        return Optional.of(new TableEntry(new TabularId(pointer.tabularId()), identifier, cached));
      }
    }
    return loadTimer.record(() -> Jdbc.read(source(mode), c -> loadTable(c, warehouse, identifier)));
  }

  @Override
  public Optional<String> tableMetadataLocation(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return pointer(warehouse, identifier, mode).map(TablePointers.Pointer::metadataLocation);
  }

  /** A table's pointer: from memory when allowed and known, else from the database. */
  private Optional<TablePointers.Pointer> pointer(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    boolean cached = pointers != null && mode == ReadMode.REPLICA_OK;
    String key = cached ? key(warehouse, identifier) : null;
    if (cached) {
      TablePointers.Pointer pointer = pointers.get(key);
      if (pointer != null) {
        return Optional.of(pointer);
      }
    }
    long epoch = cached ? pointers.epoch() : 0;
    Optional<TablePointers.Pointer> read =
        Jdbc.read(source(mode), c -> readPointer(c, warehouse, identifier));
    if (cached) {
      read.ifPresent(pointer -> pointers.put(key, pointer, epoch));
    }
    return read;
  }

  private static String key(WarehouseId warehouse, TableIdentifier identifier) {
    return warehouse + "/" + String.join("\u001f", identifier.namespace().levels()) + "/" + identifier.name();
  }

  /** Tells every server (this one through the listener too) that these tables' pointers moved. */
  private static void notifyChanged(Connection c, List<String> keys) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_notify('" + TablePointers.CHANNEL + "', ?)")) {
      for (String key : keys) {
        s.setString(1, key.length() < 7000 ? key : "*");
        s.executeQuery().close();
      }
    }
  }

  private void invalidateAfterCommit(List<String> keys) {
    if (pointers != null) {
      keys.forEach(pointers::invalidate);
    }
  }

  @Override
  public void close() {
    if (pointers != null) {
      pointers.close();
    }
  }

  private static final String TABLE_POINTER =
      "select t.id, t.metadata_location from tabular t join namespace n on n.id = t.namespace_id"
          + " where n.warehouse_id = ? and n.name = ? and t.name = ? and t.kind = 'table'";

  private Optional<TableEntry> loadTable(Connection c, WarehouseId warehouse, TableIdentifier identifier)
      throws SQLException {
    Optional<TablePointers.Pointer> pointer = readPointer(c, warehouse, identifier);
    if (pointer.isEmpty()) {
      return Optional.empty();
    }
    TableMetadata cached = metadataCache.getIfPresent(pointer.get().metadataLocation());
    if (cached != null) {
      return Optional.of(new TableEntry(new TabularId(pointer.get().tabularId()), identifier, cached));
    }
    Optional<TableEntry> loaded = loadTableWithHistory(c, warehouse, identifier);
    loaded.ifPresent(entry -> metadataCache.put(entry.metadataLocation(), entry.metadata()));
    return loaded;
  }

  private static Optional<TablePointers.Pointer> readPointer(
      Connection c, WarehouseId warehouse, TableIdentifier identifier) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(TABLE_POINTER)) {
      bindName(c, s, warehouse, identifier);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new TablePointers.Pointer(rs.getObject(1, UUID.class), rs.getString(2)))
            : Optional.empty();
      }
    }
  }

  /** Binds the warehouse, namespace and name of a tabular as parameters 1 to 3. */
  private static void bindName(Connection c, PreparedStatement s, WarehouseId warehouse, TableIdentifier identifier)
      throws SQLException {
    s.setObject(1, warehouse.value());
    s.setArray(2, levels(c, identifier.namespace()));
    s.setString(3, identifier.name());
  }

  private Optional<TableEntry> loadTableWithHistory(Connection c, WarehouseId warehouse, TableIdentifier identifier)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LOAD_TABLE)) {
      bindName(c, s, warehouse, identifier);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String[] snapshots = (String[]) rs.getArray(4).getArray();
        Long[] snapshotTimes = (Long[]) rs.getArray(5).getArray();
        Long[] snapshotIds = (Long[]) rs.getArray(6).getArray();
        Long[] metadataTimes = (Long[]) rs.getArray(7).getArray();
        String[] metadataFiles = (String[]) rs.getArray(8).getArray();
        List<SnapshotLogRow> snapshotLog = new ArrayList<>(snapshotIds.length);
        for (int i = 0; i < snapshotIds.length; i++) {
          snapshotLog.add(new SnapshotLogRow(snapshotTimes[i], snapshotIds[i]));
        }
        List<MetadataLogRow> metadataLog = new ArrayList<>(metadataFiles.length);
        for (int i = 0; i < metadataFiles.length; i++) {
          metadataLog.add(new MetadataLogRow(metadataTimes[i], metadataFiles[i]));
        }
        TableMetadata metadata =
            TableMetadataRows.assemble(rs.getString(2), rs.getString(3), Arrays.asList(snapshots), snapshotLog, metadataLog);
        return Optional.of(new TableEntry(new TabularId(rs.getObject(1, UUID.class)), identifier, metadata));
      }
    }
  }

  @Override
  public Page<TableIdentifier> listTables(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode) {
    return listTabulars(warehouse, namespace, page, mode, TABLE);
  }

  @Override
  public void commitTables(WarehouseId warehouse, List<TableWrite> writes) {
    List<TableCommits.PlannedWrite> planned = writes.stream().map(TableCommits::plan).toList();
    List<String> keys =
        writes.stream()
            .filter(write -> !(write instanceof TableWrite.Unchanged))
            .map(write -> key(warehouse, identifier(write)))
            .toList();
    try {
      commitTimer.record(() -> commitInTransaction(warehouse, planned, keys));
    } finally {
      // also when the outcome is unknown: the pointers may have moved
      invalidateAfterCommit(keys);
    }
    for (TableWrite write : writes) {
      metadataCache.put(write.metadata().metadataFileLocation(), write.metadata());
    }
  }

  private void commitInTransaction(WarehouseId warehouse, List<TableCommits.PlannedWrite> writes, List<String> keys) {
    Jdbc.mutation(writer, resolveDeadline,
        c -> {
          for (TableCommits.PlannedWrite planned : writes) {
            switch (planned.write()) {
              case TableWrite.Create create -> {
                // after the insert, so that a taken name is reported as such
                createTable(c, warehouse, create, planned);
                TableLocations.claim(c, warehouse, create.id(), create.identifier(), create.metadata().location());
              }
              case TableWrite.Update update -> {
                if (!update.base().location().equals(update.metadata().location())) {
                  TableLocations.claim(c, warehouse, update.id(), update.identifier(), update.metadata().location());
                }
                TableCommits.update(c, update, planned);
              }
              case TableWrite.Unchanged unchanged -> TableCommits.hold(c, unchanged);
            }
          }
          notifyChanged(c, keys);
          return null;
        });
  }

  private static TableIdentifier identifier(TableWrite write) {
    return switch (write) {
      case TableWrite.Create create -> create.identifier();
      case TableWrite.Update update -> update.identifier();
      case TableWrite.Unchanged unchanged -> unchanged.identifier();
    };
  }

  private void createTable(
      Connection c, WarehouseId warehouse, TableWrite.Create create, TableCommits.PlannedWrite planned)
      throws SQLException {
    TableMetadata metadata = create.metadata();
    insertTabular(
        c,
        warehouse,
        create.id(),
        create.identifier(),
        TABLE,
        metadata.metadataFileLocation(),
        metadata.location(),
        planned.core());
    TableCommits.insertHistory(c, create.id(), planned);
  }

  @Override
  public TableEntry dropTable(WarehouseId warehouse, TableIdentifier identifier) {
    try {
      return dropTableInTransaction(warehouse, identifier);
    } finally {
      invalidateAfterCommit(List.of(key(warehouse, identifier)));
    }
  }

  private TableEntry dropTableInTransaction(WarehouseId warehouse, TableIdentifier identifier) {
    return Jdbc.mutation(writer, resolveDeadline,
        c -> {
          TableEntry entry =
              loadTable(c, warehouse, identifier)
                  .orElseThrow(
                      () -> new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier));
          deleteTabular(c, warehouse, identifier, TABLE);
          notifyChanged(c, List.of(key(warehouse, identifier)));
          return entry;
        });
  }

  @Override
  public Optional<TableIdentifier> tableOverlapping(WarehouseId warehouse, String location) {
    return Jdbc.read(
        writer,
        c ->
            TableLocations.find(c, warehouse, new TabularId(new UUID(0, 0)), location)
                .map(TableLocations.Overlap::table));
  }

  @Override
  public void renameTable(WarehouseId warehouse, TableIdentifier from, TableIdentifier to) {
    try {
      renameTabular(warehouse, from, to, TABLE);
    } finally {
      invalidateAfterCommit(List.of(key(warehouse, from), key(warehouse, to)));
    }
  }

  // ---------------------------------------------------------------- views

  @Override
  public Optional<ViewEntry> view(WarehouseId warehouse, TableIdentifier identifier, ReadMode mode) {
    return Jdbc.read(
        source(mode),
        c ->
            tabular(c, warehouse, identifier, VIEW)
                .map(
                    row ->
                        new ViewEntry(
                            row.id(),
                            identifier,
                            ViewMetadataParser.fromJson(row.metadataLocation(), row.metadata()))));
  }

  @Override
  public Page<TableIdentifier> listViews(
      WarehouseId warehouse, Namespace namespace, PageRequest page, ReadMode mode) {
    return listTabulars(warehouse, namespace, page, mode, VIEW);
  }

  @Override
  public void createView(WarehouseId warehouse, ViewEntry view) {
    Jdbc.mutation(writer, resolveDeadline,
        c -> {
          insertTabular(
              c,
              warehouse,
              view.id(),
              view.identifier(),
              VIEW,
              view.metadataLocation(),
              view.metadata().location(),
              ViewMetadataParser.toJson(view.metadata()));
          return null;
        });
  }

  @Override
  public void replaceView(WarehouseId warehouse, TabularId id, ViewMetadata base, ViewMetadata metadata) {
    Jdbc.mutation(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update tabular set metadata_location = ?, location = ?, metadata = ?, updated_at = now()"
                      + " where id = ? and kind = 'view' and metadata_location = ?")) {
            s.setString(1, metadata.metadataFileLocation());
            s.setString(2, metadata.location());
            s.setString(3, ViewMetadataParser.toJson(metadata));
            s.setObject(4, id.value());
            s.setString(5, base.metadataFileLocation());
            if (s.executeUpdate() == 0) {
              throw new CommitConflictException("Cannot commit to view %s: it changed concurrently", id);
            }
          }
          return null;
        });
  }

  @Override
  public ViewEntry dropView(WarehouseId warehouse, TableIdentifier identifier) {
    return Jdbc.mutation(writer, resolveDeadline,
        c -> {
          TabularRow row = deleteTabular(c, warehouse, identifier, VIEW);
          return new ViewEntry(
              row.id(), identifier, ViewMetadataParser.fromJson(row.metadataLocation(), row.metadata()));
        });
  }

  @Override
  public void renameView(WarehouseId warehouse, TableIdentifier from, TableIdentifier to) {
    renameTabular(warehouse, from, to, VIEW);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Runs one statement in its own transaction. When it touches no row, {@code noRow} (if given)
   * says why; a SQL state listed in {@code states} becomes that Floe error.
   */
  private void execute(
      String sql,
      Supplier<? extends FloeException> noRow,
      Map<String, Supplier<? extends FloeException>> states,
      Object... args) {
    Jdbc.mutation(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              if (args[i] instanceof String[] array) {
                s.setArray(i + 1, c.createArrayOf("text", array));
              } else {
                s.setObject(i + 1, args[i]);
              }
            }
            if (s.executeUpdate() == 0 && noRow != null) {
              throw noRow.get();
            }
          } catch (SQLException e) {
            Supplier<? extends FloeException> mapped = states.get(e.getSQLState());
            if (mapped != null) {
              throw mapped.get();
            }
            throw e;
          }
          return null;
        });
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    List<T> rows = queryList(c, sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private static <T> List<T> queryList(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    }
  }

  private static boolean exists(Connection c, String sql, Object arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Array levels(Connection c, Namespace namespace) throws SQLException {
    return c.createArrayOf("text", namespace.levels());
  }

  private static String json(Map<String, String> map) {
    try {
      return JsonUtil.mapper().writeValueAsString(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> stringMap(String json) {
    try {
      return new HashMap<>(JsonUtil.mapper().readValue(json, STRING_MAP));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }





}
