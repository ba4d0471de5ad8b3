package io.floe.catalog.tables;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.location.ConfinedFileIO;
import io.floe.catalog.location.Locations;
import io.floe.catalog.metadata.MetadataFiles;
import io.floe.catalog.namespaces.Namespaces;
import io.floe.catalog.naming.Names;
import io.floe.catalog.tenancy.Storage;
import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TableEntry;
import io.floe.spi.store.TableWrite;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.Warehouse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ListTablesResponse;

/**
 * The table operations of the Iceberg REST API. A commit validates the client's requirements on
 * the current metadata, applies its updates through {@link TableMetadata#buildFrom}, writes the
 * new metadata file and then swaps the pointer in the store. When the swap loses to a concurrent
 * commit, the whole sequence is replayed on the new base as long as every requirement still holds.
 */
public final class Tables {
  private final CatalogStore store;
  private final Namespaces namespaces;
  private final Storage storage;
  private final TablePurger purger;
  private final int maxCommitAttempts;
  private final CommitLocks commitLocks = new CommitLocks();

  public Tables(
      CatalogStore store,
      Namespaces namespaces,
      Storage storage,
      TablePurger purger,
      int maxCommitAttempts) {
    this.store = requireNonNull(store, "store is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.purger = requireNonNull(purger, "purger is null");
    if (maxCommitAttempts < 1) {
      throw new IllegalArgumentException("maxCommitAttempts must be at least 1");
    }
    this.maxCommitAttempts = maxCommitAttempts;
  }

  public ListTablesResponse list(Warehouse warehouse, Namespace namespace, PageRequest page) {
    Page<TableIdentifier> result =
        store.listTables(warehouse.id(), Names.check(namespace), page, ReadMode.REPLICA_OK);
    return ListTablesResponse.builder()
        .addAll(new java.util.ArrayList<>(result.items()))
        .nextPageToken(result.nextPageToken())
        .build();
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
    request.validate();
    TableIdentifier identifier = Names.checkTable(TableIdentifier.of(namespace, request.name()));
    NamespaceEntry parent = namespaces.require(warehouse, namespace, ReadMode.PRIMARY);
    if (store.tableMetadataLocation(warehouse.id(), identifier, ReadMode.PRIMARY).isPresent()) {
      throw new AlreadyExistsException("Table already exists: %s", identifier);
    }
    if (store.view(warehouse.id(), identifier, ReadMode.PRIMARY).isPresent()) {
      throw new AlreadyExistsException("View with same name already exists: %s", identifier);
    }
    TabularId id = TabularId.random();
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
    try {
      store.commitTables(warehouse.id(), List.of(new TableWrite.Create(id, identifier, stored)));
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
    Names.checkTable(identifier);
    return commitAll(warehouse, List.of(new Change(identifier, request))).get(0);
  }

  /** Applies the changes of several tables atomically: all of them or none. */
  public List<TableEntry> commitTransaction(Warehouse warehouse, CommitTransactionRequest request) {
    request.validate();
    List<Change> changes = new ArrayList<>();
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
      changes.add(new Change(change.identifier(), change));
    }
    return commitAll(warehouse, changes);
  }

  public TableEntry register(Warehouse warehouse, Namespace namespace, RegisterTableRequest request) {
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
      id = TabularId.random();
      write = new TableWrite.Create(id, identifier, metadata);
    }
    store.commitTables(warehouse.id(), List.of(write));
    return new TableEntry(id, identifier, metadata);
  }

  public void drop(Warehouse warehouse, TableIdentifier identifier, boolean purge) {
    TableEntry dropped = store.dropTable(warehouse.id(), Names.checkTable(identifier));
    if (purge) {
      purger.purge(confined(warehouse, storage.fileIO(warehouse), dropped.identifier(), dropped.metadata()), dropped);
    }
  }

  public void rename(Warehouse warehouse, RenameTableRequest request) {
    request.validate();
    TableIdentifier from = Names.checkTable(request.source());
    TableIdentifier to = Names.checkTable(request.destination());
    store.renameTable(warehouse.id(), from, to);
  }

  private record Change(TableIdentifier identifier, UpdateTableRequest request) {}

  /** One table's prepared write plus what to clean up when the swap loses or succeeds. */
  private record Prepared(TableWrite write, TableEntry result, String writtenLocation, TableMetadata base) {}

  private List<TableEntry> commitAll(Warehouse warehouse, List<Change> changes) {
    List<java.util.concurrent.locks.Lock> held = commitLocks.lock(warehouse, changes.stream().map(Change::identifier).toList());
    try {
      return commitLocked(warehouse, changes);
    } finally {
      held.forEach(java.util.concurrent.locks.Lock::unlock);
    }
  }

  private List<TableEntry> commitLocked(Warehouse warehouse, List<Change> changes) {
    FileIO io = storage.fileIO(warehouse);
    for (int attempt = 1; ; attempt++) {
      List<Prepared> prepared = new ArrayList<>(changes.size());
      try {
        for (Change change : changes) {
          prepared.add(prepare(warehouse, io, change, attempt > 1, changes.size() > 1));
        }
        List<TableWrite> writes =
            prepared.stream().map(Prepared::write).filter(Objects::nonNull).toList();
        if (writes.stream().anyMatch(write -> !(write instanceof TableWrite.Unchanged))) {
          store.commitTables(warehouse.id(), writes);
        }
      } catch (CommitStateUnknownException e) {
        // the swap may have landed: the written files may be the table's current metadata
        throw e;
      } catch (CommitConflictException | UnavailableException e) {
        // the database said for certain that nothing was swapped
        deleteWritten(io, prepared);
        if (attempt >= maxCommitAttempts) {
          throw e instanceof UnavailableException
              ? new CommitConflictException(e, "Commit not applied, retry: %s", e.getMessage())
              : e;
        }
        pause(attempt);
        continue;
      } catch (RuntimeException e) {
        deleteWritten(io, prepared);
        throw e;
      }
      for (Prepared done : prepared) {
        if (done.writtenLocation() != null) {
          deleteRemovedMetadataFiles(warehouse, io, done.result().identifier(), done.base(), done.result().metadata());
        }
      }
      return prepared.stream().map(Prepared::result).toList();
    }
  }

  private Prepared prepare(Warehouse warehouse, FileIO io, Change change, boolean replay, boolean multiTable) {
    TableIdentifier identifier = change.identifier();
    UpdateTableRequest request = change.request();
    boolean isCreate =
        request.requirements().stream().anyMatch(UpdateRequirement.AssertTableDoesNotExist.class::isInstance);
    Optional<TableEntry> current = store.table(warehouse.id(), identifier, ReadMode.PRIMARY);
    if (current.isEmpty() && !isCreate) {
      throw noSuchTable(identifier);
    }
    TableMetadata base = current.map(TableEntry::metadata).orElse(null);
    for (UpdateRequirement requirement : request.requirements()) {
      if (base == null && !(requirement instanceof UpdateRequirement.AssertTableDoesNotExist)) {
        // every other requirement describes an existing table, which this is not (yet)
        throw new CommitFailedException(
            "Requirement failed: table %s does not exist (%s)", identifier, requirement.getClass().getSimpleName());
      }
      requirement.validate(base);
    }
    TableMetadata updated;
    TabularId id = current.map(TableEntry::id).orElseGet(TabularId::random);
    try {
      TableMetadata.Builder builder;
      if (base == null) {
        // a staged create states its format version; start there, as a downgrade is refused
        builder =
            request.updates().stream()
                .filter(org.apache.iceberg.MetadataUpdate.UpgradeFormatVersion.class::isInstance)
                .map(update -> ((org.apache.iceberg.MetadataUpdate.UpgradeFormatVersion) update).formatVersion())
                .findFirst()
                .map(TableMetadata::buildFromEmpty)
                .orElseGet(TableMetadata::buildFromEmpty);
        NamespaceEntry parent = namespaces.require(warehouse, identifier.namespace(), ReadMode.PRIMARY);
        builder.setLocation(Locations.defaultLocation(warehouse, parent.id().toString(), id.toString()));
      } else {
        builder = TableMetadata.buildFrom(base);
      }
      request.updates().forEach(update -> update.applyTo(builder));
      updated = builder.build();
    } catch (ValidationException | IllegalArgumentException | IllegalStateException e) {
      if (replay) {
        // the updates were valid on the client's base; a concurrent commit made them invalid
        throw new CommitFailedException(e, "Commit conflicts with a concurrent change: %s", e.getMessage());
      }
      // iceberg-core's own message and type reach the client (400), as its catalogs report them
      throw e;
    } catch (NullPointerException | ClassCastException | IndexOutOfBoundsException e) {
      // iceberg-core trusts what it is given; an update it cannot apply is the request's fault
      throw new BadRequestException(e, "Invalid table update for %s: %s", identifier, e);
    }
    if (base != null && updated.changes().isEmpty()) {
      // in a multi-table commit, the others were decided on this version: hold it until they land
      TableWrite hold = multiTable ? new TableWrite.Unchanged(id, identifier, base) : null;
      return new Prepared(hold, current.get(), null, base);
    }
    if (base == null
        || !Objects.equals(base.location(), updated.location())
        || pathPropertiesChanged(base, updated)) {
      Locations.checkTable(warehouse, updated.location(), updated.properties());
    }
    String metadataLocation =
        MetadataFiles.nextTableLocation(updated, base == null ? null : base.metadataFileLocation());
    MetadataFiles.write(io, updated, metadataLocation);
    TableMetadata stored = withLocation(updated, metadataLocation);
    TableWrite write =
        base == null
            ? new TableWrite.Create(id, identifier, stored)
            : new TableWrite.Update(id, identifier, base, stored);
    return new Prepared(write, new TableEntry(id, identifier, stored), metadataLocation, base);
  }

  private static boolean pathPropertiesChanged(TableMetadata base, TableMetadata updated) {
    for (String key : Locations.PATH_PROPERTIES) {
      if (!Objects.equals(base.properties().get(key), updated.properties().get(key))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Honours {@code write.metadata.delete-after-commit.enabled} as Iceberg's own catalogs do,
   * deleting only files under the table's own locations.
   */
  private void deleteRemovedMetadataFiles(
      Warehouse warehouse, FileIO io, TableIdentifier identifier, TableMetadata base, TableMetadata updated) {
    if (base == null
        || !updated.propertyAsBoolean(
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED,
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED_DEFAULT)) {
      return;
    }
    Set<String> kept = new HashSet<>();
    updated.previousFiles().forEach(entry -> kept.add(entry.file()));
    List<String> removed = new ArrayList<>();
    for (TableMetadata.MetadataLogEntry entry : base.previousFiles()) {
      if (!kept.contains(entry.file())) {
        removed.add(entry.file());
      }
    }
    if (!removed.isEmpty()) {
      ConfinedFileIO confined = confined(warehouse, io, identifier, updated);
      removed.forEach(file -> MetadataFiles.deleteQuietly(confined, file));
    }
  }

  /**
   * The view of storage through which the server deletes a table's files: its location, and each
   * storage path property that overlaps no table's location (one that holds another table, or
   * this one and maybe others, is left out).
   */
  ConfinedFileIO confined(Warehouse warehouse, FileIO io, TableIdentifier identifier, TableMetadata metadata) {
    List<String> roots = new ArrayList<>();
    roots.add(metadata.location());
    for (String key : Locations.PATH_PROPERTIES) {
      String root = metadata.properties().get(key);
      if (root != null && !Locations.isUnder(metadata.location(), root + "/x")) {
        try {
          if (store.tableOverlapping(warehouse.id(), root).isEmpty()) {
            roots.add(root);
          }
        } catch (RuntimeException e) {
          // an unusable path is simply not a root
        }
      }
    }
    return new ConfinedFileIO(io, roots, identifier.toString());
  }

  private static void deleteWritten(FileIO io, List<Prepared> prepared) {
    for (Prepared done : prepared) {
      if (done.writtenLocation() != null) {
        MetadataFiles.deleteQuietly(io, done.writtenLocation());
      }
    }
  }

  private static void pause(int attempt) {
    long millis = ThreadLocalRandom.current().nextLong(1, 5L * attempt + 1);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommitConflictException("Interrupted while retrying a commit");
    }
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
