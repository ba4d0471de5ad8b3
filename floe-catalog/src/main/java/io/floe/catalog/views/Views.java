package io.floe.catalog.views;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.catalog.approval.Approvals;
import io.floe.catalog.events.CatalogEvents;
import io.floe.spi.approval.ProposedChange;
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
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NameCheck;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TabularId;
import io.floe.catalog.governance.DropOutcome;
import io.floe.spi.store.ViewEntry;
import io.floe.spi.tenancy.Warehouse;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.rest.requests.CreateViewRequest;
import org.apache.iceberg.rest.requests.RegisterViewRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ListTablesResponse;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;

/** The view operations of the Iceberg REST API; commits work as for tables. */
public final class Views {
  private final CatalogStore store;
  private final Approvals approvals;
  private final Namespaces namespaces;
  private final Storage storage;
  private final int maxCommitAttempts;

  /** @param approvals who judges commits, drops and renames before they become durable */
  public Views(CatalogStore store, Namespaces namespaces, Storage storage, int maxCommitAttempts, Approvals approvals) {
    this.approvals = requireNonNull(approvals, "approvals is null");
    this.store = requireNonNull(store, "store is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.maxCommitAttempts = maxCommitAttempts;
  }

  private final io.floe.catalog.listing.PageResponses<TableIdentifier, ListTablesResponse> responses =
      io.floe.catalog.listing.PageResponses.identifiers();

  public ListTablesResponse list(Warehouse warehouse, Namespace namespace, PageRequest page) {
    return list(warehouse, namespace, page, null);
  }

  /** Lists the views whose ids are in {@code only} (all when null). */
  public ListTablesResponse list(
      Warehouse warehouse, Namespace namespace, PageRequest page, java.util.Set<java.util.UUID> only) {
    return responses.of(store.listViews(warehouse.id(), Names.check(namespace), page, ReadMode.REPLICA_OK, only));
  }

  public ViewEntry load(Warehouse warehouse, TableIdentifier identifier) {
    return store
        .view(warehouse.id(), Names.checkView(identifier), ReadMode.REPLICA_OK)
        .orElseThrow(() -> noSuchView(identifier));
  }

  public boolean exists(Warehouse warehouse, TableIdentifier identifier) {
    return store.view(warehouse.id(), Names.checkView(identifier), ReadMode.REPLICA_OK).isPresent();
  }

  public ViewEntry create(Warehouse warehouse, Namespace namespace, CreateViewRequest request) {
    return create(warehouse, namespace, request, TabularId.random());
  }

  /** Creates a view with an id chosen by the caller (who may have granted on it already). */
  public ViewEntry create(Warehouse warehouse, Namespace namespace, CreateViewRequest request, TabularId id) {
    request.validate();
    TableIdentifier identifier = Names.checkView(TableIdentifier.of(namespace, request.name()));
    NameCheck check = namespaces.check(warehouse, identifier);
    if (check.view()) {
      throw new AlreadyExistsException("View already exists: %s", identifier);
    }
    if (check.table()) {
      throw new AlreadyExistsException("Table with same name already exists: %s", identifier);
    }
    NamespaceEntry parent = check.namespace();
    String location =
        request.location() != null
            ? request.location()
            : Locations.defaultLocation(warehouse, parent.id().toString(), id.toString());
    Locations.checkAllowed(warehouse, "location", location);
    Map<String, String> properties = request.properties() == null ? Map.of() : request.properties();
    Locations.checkProperties(warehouse, properties);
    ViewMetadata metadata =
        ViewMetadata.builder()
            .assignUUID(java.util.UUID.randomUUID().toString())
            .setLocation(location)
            .setProperties(properties)
            .setCurrentVersion(request.viewVersion(), request.schema())
            .build();
    FileIO io = storage.fileIO(warehouse);
    String metadataLocation = MetadataFiles.nextViewLocation(metadata, null);
    MetadataFiles.write(io, metadata, metadataLocation);
    ViewEntry entry = new ViewEntry(id, identifier, withLocation(metadata, metadataLocation));
    try {
      ChangeEvents.during(
          CatalogEvents.view(
              "created", warehouse, id, identifier,
              CatalogEvents.data().put("metadata-location", metadataLocation).put("location", location)),
          () -> store.createView(warehouse.id(), entry));
    } catch (CommitStateUnknownException e) {
      throw e; // the view may exist: its metadata file must stay
    } catch (RuntimeException e) {
      MetadataFiles.deleteQuietly(io, metadataLocation);
      throw e;
    }
    return entry;
  }

  public ViewEntry register(Warehouse warehouse, Namespace namespace, RegisterViewRequest request) {
    return register(warehouse, namespace, request, TabularId.random());
  }

  /** Registers a view with an id chosen by the caller. */
  public ViewEntry register(Warehouse warehouse, Namespace namespace, RegisterViewRequest request, TabularId id) {
    request.validate();
    TableIdentifier identifier = Names.checkView(TableIdentifier.of(namespace, request.name()));
    namespaces.require(warehouse, namespace, ReadMode.PRIMARY);
    Locations.checkAllowed(warehouse, "metadata-location", request.metadataLocation());
    ViewMetadata metadata;
    try {
      metadata = ViewMetadataParser.read(storage.fileIO(warehouse), request.metadataLocation());
    } catch (RuntimeException e) {
      throw new BadRequestException(
          e, "Cannot register view %s: cannot read metadata file %s: %s",
          identifier, request.metadataLocation(), e.getMessage());
    }
    Locations.checkAllowed(warehouse, "location", metadata.location());
    ViewEntry entry = new ViewEntry(id, identifier, metadata);
    ChangeEvents.during(
        CatalogEvents.view(
            "registered", warehouse, id, identifier,
            CatalogEvents.data().put("metadata-location", request.metadataLocation())),
        () -> store.createView(warehouse.id(), entry));
    return entry;
  }

  public ViewEntry commit(Warehouse warehouse, TableIdentifier identifier, UpdateTableRequest request) {
    Names.checkView(identifier);
    FileIO io = storage.fileIO(warehouse);
    for (int attempt = 1; ; attempt++) {
      ViewEntry current =
          store.view(warehouse.id(), identifier, ReadMode.PRIMARY).orElseThrow(() -> noSuchView(identifier));
      ViewMetadata base = current.metadata();
      for (UpdateRequirement requirement : request.requirements()) {
        requirement.validate(base);
      }
      ViewMetadata updated;
      try {
        ViewMetadata.Builder builder = ViewMetadata.buildFrom(base);
        request.updates().forEach(update -> update.applyTo(builder));
        updated = builder.build();
      } catch (ValidationException | IllegalArgumentException | IllegalStateException e) {
        if (attempt > 1) {
          throw new CommitFailedException(e, "Commit conflicts with a concurrent change: %s", e.getMessage());
        }
        throw e;
      } catch (NullPointerException | ClassCastException | IndexOutOfBoundsException e) {
        // iceberg-core trusts what it is given; an update it cannot apply is the request's fault
        throw new BadRequestException(e, "Invalid view update for %s: %s", identifier, e);
      }
      if (updated.changes().isEmpty()) {
        return current;
      }
      if (!Objects.equals(base.location(), updated.location())
          || !Objects.equals(base.properties(), updated.properties())) {
        Locations.checkAllowed(warehouse, "location", updated.location());
        Locations.checkProperties(warehouse, updated.properties());
      }
      approvals.review(
          warehouse,
          () ->
              new ProposedChange(
                  "commit", warehouse, identifier, true, ViewMetadataParser.toJson(base), request.requirements(),
                  request.updates(), null, false, ChangeEvents.actor().orElse(null)));
      String metadataLocation = MetadataFiles.nextViewLocation(updated, base.metadataFileLocation());
      MetadataFiles.write(io, updated, metadataLocation);
      ViewMetadata stored = withLocation(updated, metadataLocation);
      try {
        ObjectNode data =
            CatalogEvents.data()
                .put("metadata-location", metadataLocation)
                .put("previous-metadata-location", base.metadataFileLocation());
        data.set("updates", CatalogEvents.updates(request.updates()));
        ChangeEvents.during(
            CatalogEvents.view("committed", warehouse, current.id(), identifier, data),
            () -> store.replaceView(warehouse.id(), current.id(), base, stored));
        return new ViewEntry(current.id(), identifier, stored);
      } catch (CommitStateUnknownException e) {
        throw e; // the swap may have landed: the file may be the view's current metadata
      } catch (CommitConflictException | UnavailableException e) {
        // the database said for certain that nothing was swapped
        MetadataFiles.deleteQuietly(io, metadataLocation);
        if (attempt >= maxCommitAttempts) {
          throw e instanceof UnavailableException
              ? new CommitConflictException(e, "Commit not applied, retry: %s", e.getMessage())
              : e;
        }
        sleepBriefly(attempt);
      } catch (RuntimeException e) {
        MetadataFiles.deleteQuietly(io, metadataLocation);
        throw e;
      }
    }
  }

  /** Drops a view, softly when its warehouse's delete profile says so; {@code force} drops a protected one. */
  public DropOutcome drop(Warehouse warehouse, TableIdentifier identifier, boolean force) {
    Names.checkView(identifier);
    TabularId id = store.tabularRef(warehouse.id(), identifier, true).orElseThrow(() -> noSuchView(identifier)).id();
    approvals.review(warehouse, () -> proposed("drop", warehouse, identifier, null));
    io.floe.spi.store.DeleteProfile profile = store.deleteProfile(warehouse.id());
    ChangeEvents.during(
        CatalogEvents.view("dropped", warehouse, id, identifier, CatalogEvents.data().put("soft", profile.soft())),
        () -> store.dropView(warehouse.id(), identifier, new io.floe.spi.store.TabularDrop(id, false, force, profile.keepFor())));
    return new DropOutcome(id, profile.soft());
  }

  public void rename(Warehouse warehouse, RenameTableRequest request) {
    request.validate();
    TableIdentifier from = Names.checkView(request.source());
    TableIdentifier to = Names.checkView(request.destination());
    TabularId id = store.tabularRef(warehouse.id(), from, true).orElseThrow(() -> noSuchView(from)).id();
    approvals.review(warehouse, () -> proposed("rename", warehouse, from, to));
    ObjectNode data = CatalogEvents.data();
    data.set("from", CatalogEvents.identifier(from));
    data.set("to", CatalogEvents.identifier(to));
    ChangeEvents.during(
        CatalogEvents.view("renamed", warehouse, id, to, data), () -> store.renameView(warehouse.id(), from, to, id));
  }

  private ProposedChange proposed(String operation, Warehouse warehouse, TableIdentifier identifier, TableIdentifier destination) {
    ViewEntry current = store.view(warehouse.id(), identifier, ReadMode.PRIMARY).orElseThrow(() -> noSuchView(identifier));
    return new ProposedChange(
        operation, warehouse, identifier, true, ViewMetadataParser.toJson(current.metadata()), java.util.List.of(), java.util.List.of(),
        destination, false, ChangeEvents.actor().orElse(null));
  }

  private static ViewMetadata withLocation(ViewMetadata metadata, String metadataLocation) {
    // the JSON form carries no location: parsing it back with one is the builder-free way to set it
    return ViewMetadataParser.fromJson(metadataLocation, ViewMetadataParser.toJson(metadata));
  }

  private static void sleepBriefly(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommitConflictException("Interrupted while retrying a commit");
    }
  }

  private static NotFoundException noSuchView(TableIdentifier identifier) {
    return new NotFoundException(NotFoundException.Kind.VIEW, "View does not exist: %s", identifier);
  }
}
