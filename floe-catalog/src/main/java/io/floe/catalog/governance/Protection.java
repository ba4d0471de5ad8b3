package io.floe.catalog.governance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.events.CatalogEvents;
import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.Protectable;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.Warehouse;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/** Marks warehouses, namespaces, tables and views protected from being dropped, or not. */
public final class Protection {
  private final CatalogStore store;

  public Protection(CatalogStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  public boolean isProtected(Warehouse warehouse, Protectable kind, UUID id) {
    return store.isProtected(warehouse.id(), kind, id);
  }

  public void setWarehouse(Warehouse warehouse, boolean value) {
    set(warehouse, Protectable.WAREHOUSE, warehouse.id().value(),
        CatalogEvents.warehouse("protection-changed", warehouse, data(value)), value);
  }

  public void setNamespace(Warehouse warehouse, UUID id, Namespace namespace, boolean value) {
    set(warehouse, Protectable.NAMESPACE, id, CatalogEvents.namespace("protection-changed", warehouse, id, namespace, data(value)), value);
  }

  public void setTabular(Warehouse warehouse, TabularId id, TableIdentifier identifier, boolean view, boolean value) {
    ChangeEvent event =
        view
            ? CatalogEvents.view("protection-changed", warehouse, id, identifier, data(value))
            : CatalogEvents.table("protection-changed", warehouse, id, identifier, data(value));
    set(warehouse, view ? Protectable.VIEW : Protectable.TABLE, id.value(), event, value);
  }

  private void set(Warehouse warehouse, Protectable kind, UUID id, ChangeEvent event, boolean value) {
    ChangeEvents.during(event, () -> store.setProtected(warehouse.id(), kind, id, value));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode data(boolean value) {
    return CatalogEvents.data().put("protected", value);
  }
}
