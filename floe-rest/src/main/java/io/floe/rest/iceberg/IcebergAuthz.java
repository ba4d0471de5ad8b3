package io.floe.rest.iceberg;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.authz.Access;
import io.floe.rest.http.Call;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import io.floe.spi.authz.Resource;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.tenancy.Warehouse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The checks of the Iceberg routes: which relation each needs on which object, and the error a
 * caller who may not see the object gets (the one it would get if the object did not exist).
 */
final class IcebergAuthz {
  private final Access access;

  IcebergAuthz(Access access) {
    this.access = requireNonNull(access, "access is null");
  }

  boolean enforcing() {
    return access.enforcing();
  }

  Access access() {
    return access;
  }

  // ---- warehouses and namespaces

  void warehouseVisible(Call call, Warehouse warehouse, String name) {
    access.requireVisible(call.principal(), () -> Access.warehouse(warehouse), () -> noSuchWarehouse(name));
  }

  void namespaceVisible(Call call, Warehouse warehouse, Namespace namespace) {
    access.requireVisible(call.principal(), () -> access.namespace(warehouse, namespace), () -> noSuchNamespace(namespace));
  }

  /** Requires a relation on a namespace, or on the warehouse for the empty namespace. */
  void namespace(Call call, Relation relation, Warehouse warehouse, Namespace namespace) {
    access.require(
        call.principal(), relation, () -> access.namespace(warehouse, namespace),
        () -> namespace.isEmpty() ? noSuchWarehouse(warehouse.id().toString()) : noSuchNamespace(namespace));
  }

  /** The resource of a namespace, once its checks passed; null when nothing enforces. */
  Resource namespaceResource(Warehouse warehouse, Namespace namespace) {
    return access.enforcing() ? access.namespace(warehouse, namespace) : null;
  }

  Set<UUID> visibleNamespaces(Call call, Warehouse warehouse, Namespace parent) {
    return access.visibleNamespaces(
        call.principal(), () -> access.namespace(warehouse, parent),
        () -> parent.isEmpty() ? noSuchWarehouse(warehouse.id().toString()) : noSuchNamespace(parent));
  }

  Set<UUID> visibleTables(Call call, Warehouse warehouse, Namespace namespace) {
    return access.visibleTables(call.principal(), () -> access.namespace(warehouse, namespace), () -> noSuchNamespace(namespace));
  }

  Set<UUID> visibleViews(Call call, Warehouse warehouse, Namespace namespace) {
    return access.visibleViews(call.principal(), () -> access.namespace(warehouse, namespace), () -> noSuchNamespace(namespace));
  }

  // ---- tables and views

  void table(Call call, Relation relation, Warehouse warehouse, TableIdentifier identifier) {
    access.require(call.principal(), relation, () -> access.table(warehouse, identifier), () -> noSuchTable(identifier));
  }

  void view(Call call, Relation relation, Warehouse warehouse, TableIdentifier identifier) {
    access.require(call.principal(), relation, () -> access.view(warehouse, identifier), () -> noSuchView(identifier));
  }

  /** Requires a relation on several tables, in one round trip. */
  void tables(Call call, Relation relation, Warehouse warehouse, List<TableIdentifier> identifiers) {
    if (!access.enforcing()) {
      return;
    }
    List<Resource> resources = identifiers.stream().map(identifier -> access.table(warehouse, identifier)).toList();
    List<Supplier<? extends RuntimeException>> hidden =
        identifiers.stream().<Supplier<? extends RuntimeException>>map(identifier -> () -> noSuchTable(identifier)).toList();
    access.requireAll(call.principal(), relation, resources, hidden);
  }

  /**
   * What the caller may do with a table's files, after checking it may describe the table: read
   * and write with modify, read with select, nothing otherwise (null); when nothing enforces,
   * the configured level.
   */
  AccessLevel storageAccess(Call call, Warehouse warehouse, TableIdentifier identifier, AccessLevel configured) {
    if (!access.enforcing()) {
      return configured;
    }
    Set<Relation> held =
        access.held(call.principal(), access.table(warehouse, identifier), Relation.DESCRIBE, Relation.SELECT, Relation.MODIFY);
    if (!held.contains(Relation.DESCRIBE)) {
      throw noSuchTable(identifier);
    }
    AccessLevel level = held.contains(Relation.MODIFY) ? AccessLevel.READ_WRITE : held.contains(Relation.SELECT) ? AccessLevel.READ : null;
    // never more than the server hands out at all
    return level == AccessLevel.READ_WRITE && configured == AccessLevel.READ ? AccessLevel.READ : level;
  }

  /**
   * A rename needs modify on the table or view; moving it to another namespace needs create
   * there too.
   */
  void rename(Call call, Warehouse warehouse, org.apache.iceberg.rest.requests.RenameTableRequest request, boolean view) {
    if (!access.enforcing() || request.source() == null || request.destination() == null) {
      return;
    }
    if (view) {
      view(call, Relation.MODIFY, warehouse, request.source());
    } else {
      table(call, Relation.MODIFY, warehouse, request.source());
    }
    if (!request.source().namespace().equals(request.destination().namespace())) {
      namespace(call, Relation.CREATE, warehouse, request.destination().namespace());
    }
  }

  /** Creates an object owned by the caller (see {@link Access#creating}). */
  <T> T creating(Call call, ObjectType type, UUID id, Supplier<T> create) {
    return access.creating(call.principal(), new ObjectRef(type, id.toString()), create);
  }

  void forget(ObjectType type, UUID id) {
    access.forget(new ObjectRef(type, id.toString()));
  }

  static NotFoundException noSuchWarehouse(String name) {
    return new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", name);
  }

  static NotFoundException noSuchNamespace(Namespace namespace) {
    return new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", namespace);
  }

  static NotFoundException noSuchTable(TableIdentifier identifier) {
    return new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier);
  }

  static NotFoundException noSuchView(TableIdentifier identifier) {
    return new NotFoundException(NotFoundException.Kind.VIEW, "View does not exist: %s", identifier);
  }
}
