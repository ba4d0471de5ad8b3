package io.floe.catalog.tables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.catalog.approval.Approvals;
import io.floe.catalog.events.CatalogEvents;
import io.floe.catalog.location.Locations;
import io.floe.catalog.metadata.MetadataFiles;
import io.floe.catalog.namespaces.Namespaces;
import io.floe.catalog.naming.Names;
import io.floe.catalog.tenancy.Storage;
import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.events.EventOutbox;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NameCheck;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TableEntry;
import io.floe.spi.store.TableWrite;
import io.floe.spi.store.TabularDrop;
import io.floe.spi.store.TabularId;
import io.floe.spi.store.DeleteProfile;
import io.floe.catalog.governance.DropOutcome;
import io.floe.spi.tenancy.Warehouse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ListTablesResponse;

/**
 * The table operations of the Iceberg REST API: lists, loads from the store alone, creates,
 * registers, drops and renames; commits go to the {@link TableCommitter}.
 */
public final class Tables {
  /** The kind of the background task that deletes a dropped table's files. */
  public static final String PURGE_TASK = TabularDrop.PURGE_TASK;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tables.class);

  private final CatalogStore store;
  private final Namespaces namespaces;
  private final Storage storage;
  private final TableCommitter committer;
  private final EventOutbox events;
  private final Approvals approvals;

  /** @param events where events that follow no change of the database go (a purge's) */
  public Tables(
      CatalogStore store, Namespaces namespaces, Storage storage, int maxCommitAttempts, EventOutbox events) {
    this(store, namespaces, storage, maxCommitAttempts, events, Approvals.NONE, new CompositeMeterRegistry());
  }

  /**
   * @param approvals who judges commits, drops and renames before they become durable
   * @param metrics where commit outcomes are counted
   */
  public Tables(
      CatalogStore store, Namespaces namespaces, Storage storage, int maxCommitAttempts, EventOutbox events,
      Approvals approvals, MeterRegistry metrics) {
    this.store = requireNonNull(store, "store is null");
    this.approvals = requireNonNull(approvals, "approvals is null");
    this.events = requireNonNull(events, "events is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.committer = new TableCommitter(store, namespaces, storage, maxCommitAttempts, approvals, new CommitOutcomes(metrics));
  }

  private final io.floe.catalog.listing.PageResponses<TableIdentifier, ListTablesResponse> responses =
      io.floe.catalog.listing.PageResponses.identifiers();

  public ListTablesResponse list(Warehouse warehouse, Namespace namespace, PageRequest page) {
    return list(warehouse, namespace, page, null);
  }

  /** Lists the tables whose ids are in {@code only} (all when null). */
  public ListTablesResponse list(Warehouse warehouse, Namespace namespace, PageRequest page, Set<java.util.UUID> only) {
    return responses.of(store.listTables(warehouse.id(), Names.check(namespace), page, ReadMode.REPLICA_OK, only));
  }

  /** Loads a table from the store only; object storage is not read. */
  public TableEntry load(Warehouse warehouse, TableIdentifier identifier) {
    return store
        .table(warehouse.id(), Names.checkTable(identifier), ReadMode.REPLICA_OK)
        .orElseThrow(() -> noSuchTable(identifier));
  }

  /**
   * Returns the table's current metadata location, read from the store alone.
   *
   * @throws NotFoundException if the table does not exist
   */
  public String metadataLocation(Warehouse warehouse, TableIdentifier identifier) {
    return store
        .tableMetadataLocation(warehouse.id(), Names.checkTable(identifier), ReadMode.REPLICA_OK)
        .orElseThrow(() -> noSuchTable(identifier));
  }

  public boolean exists(Warehouse warehouse, TableIdentifier identifier) {
    return store.tableMetadataLocation(warehouse.id(), Names.checkTable(identifier), ReadMode.REPLICA_OK).isPresent();
  }

  /**
   * Creates a table, or with {@code stageCreate} only returns the metadata it would have so that
   * a later commit with {@code assert-create} creates it.
   *
   * @return the created (or staged) metadata; staged metadata has no metadata location
   */
  public TableMetadata create(Warehouse warehouse, Namespace namespace, CreateTableRequest request) {
    return create(warehouse, namespace, request, TabularId.random());
  }

  /** Creates a table with an id chosen by the caller (who may have granted on it already). */
  public TableMetadata create(Warehouse warehouse, Namespace namespace, CreateTableRequest request, TabularId id) {
    request.validate();
    TableIdentifier identifier = Names.checkTable(TableIdentifier.of(namespace, request.name()));
    // one read before the metadata file is written; the transaction checks again
    NameCheck check = namespaces.check(warehouse, identifier);
    if (check.table()) {
      throw new AlreadyExistsException("Table already exists: %s", identifier);
    }
    if (check.view()) {
      throw new AlreadyExistsException("View with same name already exists: %s", identifier);
    }
    NamespaceEntry parent = check.namespace();
    Map<String, String> properties = request.properties() == null ? Map.of() : request.properties();
    String location =
        request.location() != null
            ? request.location()
            : Locations.defaultLocation(warehouse, parent.id().toString(), id.toString());
    Locations.checkTable(warehouse, location, properties);
    TableMetadata metadata =
        TableMetadata.newTableMetadata(
            request.schema(),
            request.spec() != null ? request.spec() : PartitionSpec.unpartitioned(),
            request.writeOrder() != null ? request.writeOrder() : SortOrder.unsorted(),
            location,
            properties);
    if (request.stageCreate()) {
      // nothing is committed yet, but the staged table's client gets credentials for its location
      Optional<TableIdentifier> overlapping = store.tableOverlapping(warehouse.id(), location);
      if (overlapping.isPresent()) {
        throw new BadRequestException(
            "Cannot use location %s for table %s: it overlaps the location of table %s",
            location, identifier, overlapping.get());
      }
      return metadata;
    }
    FileIO io = storage.fileIO(warehouse);
    String metadataLocation = MetadataFiles.nextTableLocation(metadata, null);
    MetadataFiles.write(io, metadata, metadataLocation);
    TableMetadata stored = withLocation(metadata, metadataLocation);
    ObjectNode data = CatalogEvents.data().put("metadata-location", metadataLocation).put("location", location);
    try {
      ChangeEvents.during(
          CatalogEvents.table("created", warehouse, id, identifier, data),
          () -> store.commitTables(warehouse.id(), List.of(new TableWrite.Create(id, identifier, stored))));
    } catch (CommitStateUnknownException e) {
      throw e; // the table may exist: its metadata file must stay
    } catch (RuntimeException e) {
      MetadataFiles.deleteQuietly(io, metadataLocation);
      throw e;
    }
    return stored;
  }

  /** Applies one table's requirements and updates atomically. */
  public TableEntry commit(Warehouse warehouse, TableIdentifier identifier, UpdateTableRequest request) {
    return commit(warehouse, identifier, request, TabularId.random());
  }

  /** Commits to a table; {@code newId} is the id it gets if the commit creates it. */
  public TableEntry commit(Warehouse warehouse, TableIdentifier identifier, UpdateTableRequest request, TabularId newId) {
    Names.checkTable(identifier);
    return committer.commit(warehouse, List.of(new TableCommitter.Change(identifier, request, newId))).get(0);
  }

  /** Applies the changes of several tables atomically: all of them or none. */
  public List<TableEntry> commitTransaction(Warehouse warehouse, CommitTransactionRequest request) {
    return commitTransaction(warehouse, request, identifier -> TabularId.random());
  }

  /** Commits a transaction; {@code newIds} gives the id of each table it creates. */
  public List<TableEntry> commitTransaction(
      Warehouse warehouse, CommitTransactionRequest request, java.util.function.Function<TableIdentifier, TabularId> newIds) {
    request.validate();
    List<TableCommitter.Change> changes = new ArrayList<>();
    Set<TableIdentifier> seen = new HashSet<>();
    for (UpdateTableRequest change : request.tableChanges()) {
      if (change.identifier() == null) {
        throw new BadRequestException("Invalid table change: missing identifier");
      }
      Names.checkTable(change.identifier());
      if (!seen.add(change.identifier())) {
        throw new BadRequestException(
            "Invalid transaction: table %s changed more than once", change.identifier());
      }
      changes.add(new TableCommitter.Change(change.identifier(), change, newIds.apply(change.identifier())));
    }
    return committer.commit(warehouse, changes);
  }

  public TableEntry register(Warehouse warehouse, Namespace namespace, RegisterTableRequest request) {
    return register(warehouse, namespace, request, TabularId.random());
  }

  /** Registers a table; {@code newId} is its id unless it overwrites an existing one. */
  public TableEntry register(Warehouse warehouse, Namespace namespace, RegisterTableRequest request, TabularId newId) {
    request.validate();
    TableIdentifier identifier = Names.checkTable(TableIdentifier.of(namespace, request.name()));
    namespaces.require(warehouse, namespace, ReadMode.PRIMARY);
    Locations.checkAllowed(warehouse, "metadata-location", request.metadataLocation());
    FileIO io = storage.fileIO(warehouse);
    TableMetadata metadata;
    try {
      metadata = TableMetadataParser.read(io, request.metadataLocation());
    } catch (org.apache.iceberg.exceptions.NotFoundException e) {
      throw new BadRequestException(
          "Cannot register table %s: metadata file does not exist: %s",
          identifier, request.metadataLocation());
    } catch (RuntimeException e) {
      throw new BadRequestException(
          e, "Cannot register table %s: cannot read metadata file %s: %s",
          identifier, request.metadataLocation(), e.getMessage());
    }
    Locations.checkTable(warehouse, metadata.location(), metadata.properties());
    Optional<TableEntry> existing = store.table(warehouse.id(), identifier, ReadMode.PRIMARY);
    TableWrite write;
    TabularId id;
    if (existing.isPresent()) {
      if (!request.overwrite()) {
        throw new AlreadyExistsException("Table already exists: %s", identifier);
      }
      id = existing.get().id();
      write = new TableWrite.Update(id, identifier, existing.get().metadata(), metadata);
    } else {
      id = newId;
      write = new TableWrite.Create(id, identifier, metadata);
    }
    ObjectNode data =
        CatalogEvents.data().put("metadata-location", request.metadataLocation()).put("overwrite", existing.isPresent());
    ChangeEvents.during(
        CatalogEvents.table("registered", warehouse, id, identifier, data),
        () -> store.commitTables(warehouse.id(), List.of(write)));
    return new TableEntry(id, identifier, metadata);
  }

  /**
   * Drops a table, softly when its warehouse's delete profile says so; with {@code purge}, a
   * background task committed with the drop (or with its expiry) deletes its files (see {@link
   * #purge}); {@code force} drops a protected one (the caller has checked the right to).
   */
  public DropOutcome drop(Warehouse warehouse, TableIdentifier identifier, boolean purge, boolean force) {
    Names.checkTable(identifier);
    TabularId id = store.tabularRef(warehouse.id(), identifier, false).orElseThrow(() -> noSuchTable(identifier)).id();
    approvals.review(warehouse, () -> proposed("drop", warehouse, identifier, null, purge));
    DeleteProfile profile = store.deleteProfile(warehouse.id());
    ObjectNode data = CatalogEvents.data().put("purge-requested", purge).put("soft", profile.soft());
    ChangeEvents.during(
        CatalogEvents.table("dropped", warehouse, id, identifier, data),
        () -> store.dropTable(warehouse.id(), identifier, new TabularDrop(id, purge, force, profile.keepFor())));
    return new DropOutcome(id, profile.soft());
  }

  /**
   * The purge task: deletes every file the dropped table's metadata references, and its metadata
   * files, through the table's confined view of storage (so files of other tables named in its
   * metadata are spared). A metadata file that is gone means an earlier attempt got that far:
   * there is nothing left to find.
   */
  public void purge(io.floe.spi.tasks.Task task) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode payload = org.apache.iceberg.util.JsonUtil.mapper().readTree(task.payload());
    java.util.List<String> levels = new java.util.ArrayList<>();
    payload.path("namespace").forEach(level -> levels.add(level.asText()));
    TableIdentifier identifier = TableIdentifier.of(Namespace.of(levels.toArray(String[]::new)), payload.path("name").asText());
    String metadataLocation = payload.path("metadata-location").asText();
    Optional<Warehouse> warehouse = task.warehouse() == null ? Optional.empty() : store.warehouse(task.warehouse());
    if (warehouse.isEmpty()) {
      LOG.warn("Cannot purge table {}: its warehouse {} no longer exists", identifier, task.warehouse());
      return;
    }
    FileIO io = storage.fileIO(warehouse.get());
    TableMetadata metadata;
    try {
      metadata = TableMetadataParser.read(io, metadataLocation);
    } catch (org.apache.iceberg.exceptions.NotFoundException e) {
      LOG.info("purge of table {}: its metadata file {} is gone already", identifier, metadataLocation);
      return;
    }
    Optional<TableIdentifier> living = store.tableOverlapping(warehouse.get().id(), metadata.location());
    if (living.isPresent()) {
      // a table created since at (or around) the same location owns those files now
      LOG.warn("Not purging table {}: its location {} is now used by table {}", identifier, metadata.location(), living.get());
      return;
    }
    CatalogUtil.dropTableData(committer.confined(warehouse.get(), io, identifier, metadata), metadata);
    // the files are gone: the event is written after the fact (a retry may write it again)
    events.append(
        CatalogEvents.table(
            "purged", warehouse.get(), new TabularId(java.util.UUID.fromString(payload.path("tabular-id").asText())), identifier,
            CatalogEvents.data().put("location", metadata.location())));
    LOG.info("purged table={} id={}", identifier, payload.path("tabular-id").asText());
  }

  public void rename(Warehouse warehouse, RenameTableRequest request) {
    request.validate();
    TableIdentifier from = Names.checkTable(request.source());
    TableIdentifier to = Names.checkTable(request.destination());
    TabularId id = store.tabularRef(warehouse.id(), from, false).orElseThrow(() -> noSuchTable(from)).id();
    approvals.review(warehouse, () -> proposed("rename", warehouse, from, to, false));
    ObjectNode data = CatalogEvents.data();
    data.set("from", CatalogEvents.identifier(from));
    data.set("to", CatalogEvents.identifier(to));
    ChangeEvents.during(
        CatalogEvents.table("renamed", warehouse, id, to, data), () -> store.renameTable(warehouse.id(), from, to, id));
  }

  private io.floe.spi.approval.ProposedChange proposed(
      String operation, Warehouse warehouse, TableIdentifier identifier, TableIdentifier destination, boolean purge) {
    TableEntry current = store.table(warehouse.id(), identifier, ReadMode.PRIMARY).orElseThrow(() -> noSuchTable(identifier));
    return new io.floe.spi.approval.ProposedChange(
        operation, warehouse, identifier, false, TableMetadataParser.toJson(current.metadata()), List.of(), List.of(),
        destination, purge, ChangeEvents.actor().orElse(null));
  }

  static TableMetadata withLocation(TableMetadata metadata, String metadataLocation) {
    return TableMetadata.buildFrom(metadata)
        .discardChanges()
        .withMetadataLocation(metadataLocation)
        .build();
  }

  private static NotFoundException noSuchTable(TableIdentifier identifier) {
    return new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier);
  }
}
