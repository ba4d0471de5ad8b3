package io.floe.catalog.governance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.catalog.authz.Access;
import io.floe.catalog.events.CatalogEvents;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.DeleteProfile;
import io.floe.spi.store.DeletedTabular;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.TabularId;
import io.floe.spi.tasks.Task;
import io.floe.spi.tenancy.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.JsonUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Soft deletion: a warehouse's delete profile, its dropped tables and views until they expire,
 * undrop, and the expiration task that drops them for good (purging a table's files when its drop
 * asked for it).
 */
public final class SoftDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(SoftDeletion.class);
  /** The task that drops a soft-dropped table or view for good. */
  public static final String EXPIRE_TASK = io.floe.spi.store.TabularDrop.EXPIRE_TASK;

  private final CatalogStore store;
  private final Access access;

  public SoftDeletion(CatalogStore store, Access access) {
    this.store = requireNonNull(store, "store is null");
    this.access = requireNonNull(access, "access is null");
  }

  public DeleteProfile profile(Warehouse warehouse) {
    return store.deleteProfile(warehouse.id());
  }

  public void setProfile(Warehouse warehouse, DeleteProfile profile) {
    com.fasterxml.jackson.databind.node.ObjectNode data = CatalogEvents.data().put("type", profile.soft() ? "soft" : "hard");
    if (profile.soft()) {
      data.put("expiration-seconds", profile.keepFor().toSeconds());
    }
    ChangeEvents.during(
        CatalogEvents.warehouse("delete-profile-changed", warehouse, data),
        () -> store.setDeleteProfile(warehouse.id(), profile));
  }

  public Page<DeletedTabular> list(Warehouse warehouse, PageRequest page) {
    return store.listDeleted(warehouse.id(), page);
  }

  public Optional<DeletedTabular> deleted(Warehouse warehouse, TabularId id) {
    return store.deleted(warehouse.id(), id);
  }

  /** Puts a soft-dropped table or view back where it was. */
  public DeletedTabular undrop(Warehouse warehouse, TabularId id) {
    DeletedTabular deleted = store.deleted(warehouse.id(), id).orElseThrow(() -> noSuchDeleted(id));
    TableIdentifier identifier = TableIdentifier.of(deleted.namespace(), deleted.name());
    return ChangeEvents.during(
        deleted.view()
            ? CatalogEvents.view("undropped", warehouse, id, identifier, CatalogEvents.data())
            : CatalogEvents.table("undropped", warehouse, id, identifier, CatalogEvents.data()),
        () -> store.undrop(warehouse.id(), id));
  }

  /** The expiration task: drops the table or view for good, unless it was undropped meanwhile. */
  public void expire(Task task) throws java.io.IOException {
    JsonNode payload = JsonUtil.mapper().readTree(task.payload());
    TabularId id = new TabularId(UUID.fromString(payload.path("tabular-id").asText()));
    boolean view = "view".equals(payload.path("kind").asText());
    List<String> levels = new ArrayList<>();
    payload.path("namespace").forEach(level -> levels.add(level.asText()));
    TableIdentifier identifier = TableIdentifier.of(Namespace.of(levels.toArray(String[]::new)), payload.path("name").asText());
    Optional<Warehouse> warehouse = task.warehouse() == null ? Optional.empty() : store.warehouse(task.warehouse());
    if (warehouse.isEmpty()) {
      return; // the warehouse went, with everything in it
    }
    boolean expired =
        ChangeEvents.during(
            view
                ? CatalogEvents.view("expired", warehouse.get(), id, identifier, CatalogEvents.data())
                : CatalogEvents.table("expired", warehouse.get(), id, identifier, CatalogEvents.data()),
            () -> store.expire(task.warehouse(), id, task.id()));
    if (expired) {
      access.forget(new ObjectRef(view ? ObjectType.VIEW : ObjectType.TABLE, id.value().toString()));
      LOG.info("expired {} {} ({})", view ? "view" : "table", identifier, id);
    }
  }

  private static NotFoundException noSuchDeleted(TabularId id) {
    return new NotFoundException(NotFoundException.Kind.OBJECT, "No dropped table or view %s to undrop", id);
  }
}
