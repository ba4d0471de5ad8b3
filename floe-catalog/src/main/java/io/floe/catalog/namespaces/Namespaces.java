package io.floe.catalog.namespaces;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.catalog.events.CatalogEvents;
import io.floe.catalog.location.Locations;
import io.floe.catalog.naming.Names;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NameCheck;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.tenancy.Warehouse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.JsonUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.responses.CreateNamespaceResponse;
import org.apache.iceberg.rest.responses.GetNamespaceResponse;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;
import org.apache.iceberg.rest.responses.UpdateNamespacePropertiesResponse;

/** The namespace operations of the Iceberg REST API. */
public final class Namespaces {
  /** The namespace property that names where its tables go. */
  public static final String LOCATION = "location";

  private final CatalogStore store;

  public Namespaces(CatalogStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  private final io.floe.catalog.listing.PageResponses<Namespace, ListNamespacesResponse> responses =
      io.floe.catalog.listing.PageResponses.namespaces();

  public ListNamespacesResponse list(Warehouse warehouse, Namespace parent, PageRequest page) {
    return list(warehouse, parent, page, null);
  }

  /** Lists the children whose ids are in {@code only} (all when null). */
  public ListNamespacesResponse list(Warehouse warehouse, Namespace parent, PageRequest page, java.util.Set<UUID> only) {
    if (!parent.isEmpty()) {
      Names.check(parent);
    }
    return responses.of(store.listNamespaces(warehouse.id(), parent, page, ReadMode.REPLICA_OK, only));
  }

  public CreateNamespaceResponse create(Warehouse warehouse, CreateNamespaceRequest request) {
    return create(warehouse, request, UUID.randomUUID());
  }

  /** Creates a namespace with an id chosen by the caller (who may have granted on it already). */
  public CreateNamespaceResponse create(Warehouse warehouse, CreateNamespaceRequest request, UUID id) {
    Namespace namespace = Names.check(request.namespace());
    Map<String, String> properties = request.properties() == null ? Map.of() : request.properties();
    checkProperties(properties);
    ObjectNode data = CatalogEvents.data();
    data.set("properties", JsonUtil.mapper().valueToTree(properties));
    ChangeEvents.during(
        CatalogEvents.namespace("created", warehouse, id, namespace, data),
        () -> store.createNamespace(warehouse.id(), new NamespaceEntry(id, namespace, properties)));
    return CreateNamespaceResponse.builder()
        .withNamespace(namespace)
        .setProperties(reported(warehouse, id, properties))
        .build();
  }

  /**
   * A namespace and its properties. Without a {@code location} of its own, it reports where its
   * tables go by default (engines such as Trino place new tables under it, and create them staged).
   */
  public GetNamespaceResponse load(Warehouse warehouse, Namespace namespace) {
    NamespaceEntry entry = require(warehouse, namespace, ReadMode.REPLICA_OK);
    return GetNamespaceResponse.builder()
        .withNamespace(entry.name())
        .setProperties(reported(warehouse, entry.id(), entry.properties()))
        .build();
  }

  /** A namespace's properties as clients see them: its own, and its default location. */
  private static Map<String, String> reported(Warehouse warehouse, UUID id, Map<String, String> properties) {
    Map<String, String> reported = new java.util.HashMap<>(properties);
    reported.putIfAbsent(LOCATION, Locations.namespaceLocation(warehouse, id.toString()));
    return reported;
  }

  public boolean exists(Warehouse warehouse, Namespace namespace) {
    Names.check(namespace);
    return store.namespace(warehouse.id(), namespace, ReadMode.REPLICA_OK).isPresent();
  }

  /**
   * Drops a namespace; with {@code recursive}, what it holds too (tables and views softly when the
   * warehouse's delete profile says so, their files purged with {@code purge}); {@code force}
   * drops protected objects (the caller has checked the right to). One event tells of it all.
   */
  public CatalogStore.Dropped drop(Warehouse warehouse, Namespace namespace, boolean recursive, boolean purge, boolean force) {
    NamespaceEntry entry = require(warehouse, Names.check(namespace), ReadMode.PRIMARY);
    java.time.Duration keepFor = recursive ? store.deleteProfile(warehouse.id()).keepFor() : null;
    ObjectNode data = CatalogEvents.data().put("recursive", recursive);
    if (recursive) {
      data.put("purge-requested", purge).put("soft", keepFor != null);
    }
    return ChangeEvents.during(
        CatalogEvents.namespace("dropped", warehouse, entry.id(), namespace, data),
        () -> store.dropNamespace(warehouse.id(), namespace, new io.floe.spi.store.NamespaceDrop(recursive, purge, force, keepFor)));
  }

  public UpdateNamespacePropertiesResponse updateProperties(
      Warehouse warehouse, Namespace namespace, UpdateNamespacePropertiesRequest request) {
    Names.check(namespace);
    Map<String, String> updates = request.updates() == null ? Map.of() : request.updates();
    List<String> removals = request.removals() == null ? List.of() : request.removals();
    checkProperties(updates);
    Set<String> overlap = new HashSet<>(updates.keySet());
    overlap.retainAll(removals);
    if (!overlap.isEmpty()) {
      throw new BadRequestException(
          "Cannot update namespace properties: keys both set and removed: %s", overlap);
    }
    NamespaceEntry current = require(warehouse, namespace, ReadMode.PRIMARY);
    ObjectNode data = CatalogEvents.data();
    data.set("updates", JsonUtil.mapper().valueToTree(updates));
    data.set("removals", JsonUtil.mapper().valueToTree(removals));
    NamespaceEntry before =
        ChangeEvents.during(
            CatalogEvents.namespace("properties-updated", warehouse, current.id(), namespace, data),
            () -> store.updateNamespaceProperties(warehouse.id(), namespace, updates, Set.copyOf(removals)));
    List<String> removed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String key : removals) {
      if (before.properties().containsKey(key)) {
        removed.add(key);
      } else {
        missing.add(key);
      }
    }
    return UpdateNamespacePropertiesResponse.builder()
        .addUpdated(new ArrayList<>(updates.keySet()))
        .addRemoved(removed)
        .addMissing(missing)
        .build();
  }

  /**
   * The namespace of a name about to be created, and whether a table or view holds the name, in
   * one read from the primary.
   *
   * @throws NotFoundException if the namespace does not exist
   */
  public NameCheck check(Warehouse warehouse, TableIdentifier identifier) {
    Names.check(identifier.namespace());
    return store
        .nameCheck(warehouse.id(), identifier)
        .orElseThrow(
            () ->
                new NotFoundException(
                    NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", identifier.namespace()));
  }

  public NamespaceEntry require(Warehouse warehouse, Namespace namespace, ReadMode mode) {
    Names.check(namespace);
    return store
        .namespace(warehouse.id(), namespace, mode)
        .orElseThrow(
            () ->
                new NotFoundException(
                    NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", namespace));
  }

  private static void checkProperties(Map<String, String> properties) {
    for (Map.Entry<String, String> property : properties.entrySet()) {
      if (property.getKey() == null || property.getKey().isEmpty()) {
        throw new BadRequestException("Invalid property: key must not be empty");
      }
      if (property.getValue() == null) {
        throw new BadRequestException("Invalid property %s: value must not be null", property.getKey());
      }
    }
  }
}
