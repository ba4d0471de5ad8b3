package io.floe.catalog.tables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.catalog.approval.Approvals;
import io.floe.catalog.events.CatalogEvents;
import io.floe.spi.approval.ProposedChange;
import org.apache.iceberg.TableMetadataParser;
import io.floe.catalog.location.ConfinedFileIO;
import io.floe.catalog.location.Locations;
import io.floe.catalog.metadata.MetadataFiles;
import io.floe.catalog.namespaces.Namespaces;
import io.floe.catalog.tenancy.Storage;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TableEntry;
import io.floe.spi.store.TableWrite;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.Warehouse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.rest.requests.UpdateTableRequest;

/**
 * The commit engine: applies table changes through iceberg-core (requirements validated on the
 * current metadata, updates applied by {@link TableMetadata#buildFrom}), writes each new metadata
 * file, then swaps every pointer in one store transaction. A lost swap is replayed on the new
 * base while the requirements still hold. A written file is deleted only when the store says for
 * certain that its swap did not happen; an unknown outcome keeps it.
 */
final class TableCommitter {
  private final CatalogStore store;
  private final Namespaces namespaces;
  private final Storage storage;
  private final int maxCommitAttempts;
  private final CommitLocks commitLocks = new CommitLocks();
  private final Approvals approvals;
  private final CommitOutcomes outcomes;

  TableCommitter(
      CatalogStore store, Namespaces namespaces, Storage storage, int maxCommitAttempts, Approvals approvals,
      CommitOutcomes outcomes) {
    this.store = requireNonNull(store, "store is null");
    this.outcomes = requireNonNull(outcomes, "outcomes is null");
    this.approvals = requireNonNull(approvals, "approvals is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.storage = requireNonNull(storage, "storage is null");
    if (maxCommitAttempts < 1) {
      throw new IllegalArgumentException("maxCommitAttempts must be at least 1");
    }
    this.maxCommitAttempts = maxCommitAttempts;
  }

  /** A table's requirements and updates. */
  /** One table's change; {@code newId} is the table's id if the change creates it. */
  record Change(TableIdentifier identifier, UpdateTableRequest request, TabularId newId) {}

  /** Applies every change atomically: all of them or none. */
  List<TableEntry> commit(Warehouse warehouse, List<Change> changes) {
    try {
      List<TableEntry> committed = commitAll(warehouse, changes);
      outcomes.applied();
      return committed;
    } catch (RuntimeException e) {
      outcomes.failed(e);
      throw e;
    }
  }


  /** One table's prepared write plus what to clean up when the swap loses or succeeds. */
  private record Prepared(
      TableWrite write, TableEntry result, String writtenLocation, TableMetadata base, ChangeEvent event) {}

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
          List<ChangeEvent> events = prepared.stream().map(Prepared::event).filter(Objects::nonNull).toList();
          ChangeEvents.during(events, () -> store.commitTables(warehouse.id(), writes));
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
        outcomes.retried();
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
    TabularId id = current.map(TableEntry::id).orElse(change.newId());
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
      return new Prepared(hold, current.get(), null, base, null);
    }
    if (base == null
        || !Objects.equals(base.location(), updated.location())
        || pathPropertiesChanged(base, updated)) {
      Locations.checkTable(warehouse, updated.location(), updated.properties());
    }
    // the last word before anything is written: a veto leaves no file and no change
    approvals.review(
        warehouse,
        () ->
            new ProposedChange(
                "commit", warehouse, identifier, false, base == null ? null : TableMetadataParser.toJson(base),
                request.requirements(), request.updates(), null, false, ChangeEvents.actor().orElse(null)));
    String metadataLocation =
        MetadataFiles.nextTableLocation(updated, base == null ? null : base.metadataFileLocation());
    MetadataFiles.write(io, updated, metadataLocation);
    TableMetadata stored = withLocation(updated, metadataLocation);
    TableWrite write =
        base == null
            ? new TableWrite.Create(id, identifier, stored)
            : new TableWrite.Update(id, identifier, base, stored);
    ObjectNode data = CatalogEvents.data().put("metadata-location", metadataLocation);
    if (base != null) {
      data.put("previous-metadata-location", base.metadataFileLocation());
    }
    data.set("updates", CatalogEvents.updates(request.updates()));
    ChangeEvent event = CatalogEvents.table(base == null ? "created" : "committed", warehouse, id, identifier, data);
    return new Prepared(write, new TableEntry(id, identifier, stored), metadataLocation, base, event);
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

  private static TableMetadata withLocation(TableMetadata metadata, String metadataLocation) {
    return Tables.withLocation(metadata, metadataLocation);
  }

  private static NotFoundException noSuchTable(TableIdentifier identifier) {
    return new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier);
  }
}
