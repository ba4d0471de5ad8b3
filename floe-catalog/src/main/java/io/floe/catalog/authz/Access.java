package io.floe.catalog.authz;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.auth.Principal;
import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.Authorizer;
import io.floe.spi.authz.Check;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import io.floe.spi.authz.Resource;
import io.floe.spi.authz.Role;
import io.floe.spi.authz.RoleStore;
import io.floe.spi.concurrent.NonBlocking;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.ForbiddenException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NamespacePath;
import io.floe.spi.store.ReadMode;
import io.floe.spi.store.TabularRef;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's side of authorization: finds where an object sits (from the store, which knows the
 * hierarchy), asks the {@link Authorizer}, and answers as the API must. A caller who may not even
 * describe an object is told it does not exist, so that names do not leak; one who may describe it
 * but not act gets 403.
 *
 * <p>With an authorizer that does not enforce, every method returns at once without reading the
 * store.
 */
public final class Access {
  private static final Logger LOG = LoggerFactory.getLogger(Access.class);

  private final Authorizer authorizer;
  private final CatalogStore store;
  /** A namespace never moves: its path of ids holds for as long as it exists. */
  private final Cache<UUID, Optional<NamespacePath>> namespacePaths =
      Caffeine.newBuilder().maximumSize(100_000).build();

  private final RoleStore roles;

  public Access(Authorizer authorizer, CatalogStore store, RoleStore roles) {
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
    this.store = requireNonNull(store, "store is null");
    this.roles = requireNonNull(roles, "roles is null");
  }

  public RoleStore roles() {
    return roles;
  }

  public Authorizer authorizer() {
    return authorizer;
  }

  public boolean enforcing() {
    return authorizer.enforcing();
  }

  // ---- where objects sit

  public static Resource server() {
    return new Resource(ObjectRef.SERVER, List.of());
  }

  public static Resource project(ProjectId project) {
    return server().child(new ObjectRef(ObjectType.PROJECT, project.toString()));
  }

  public static Resource warehouse(Warehouse warehouse) {
    return project(warehouse.projectId()).child(new ObjectRef(ObjectType.WAREHOUSE, warehouse.id().toString()));
  }

  public static Resource role(Role role) {
    return project(role.project()).child(new ObjectRef(ObjectType.ROLE, role.id().toString()));
  }

  /** A warehouse's namespace, or the warehouse itself for the empty namespace. */
  public Resource namespace(Warehouse warehouse, Namespace namespace) {
    if (namespace.isEmpty()) {
      return warehouse(warehouse);
    }
    List<UUID> path = store.namespacePath(warehouse.id(), namespace, ReadMode.REPLICA_OK);
    if (path.isEmpty()) {
      throw new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", namespace);
    }
    return namespacePath(warehouse, path);
  }

  public Resource table(Warehouse warehouse, TableIdentifier identifier) {
    return tabular(warehouse, ObjectType.TABLE, identifier);
  }

  public Resource view(Warehouse warehouse, TableIdentifier identifier) {
    return tabular(warehouse, ObjectType.VIEW, identifier);
  }

  private Resource tabular(Warehouse warehouse, ObjectType type, TableIdentifier identifier) {
    boolean view = type == ObjectType.VIEW;
    Supplier<NotFoundException> missing =
        () -> new NotFoundException(
            view ? NotFoundException.Kind.VIEW : NotFoundException.Kind.TABLE, "%s does not exist: %s",
            view ? "View" : "Table", identifier);
    TabularRef ref = store.tabularRef(warehouse.id(), identifier, view).orElseThrow(missing);
    Optional<NamespacePath> path = namespacePaths.get(ref.namespaceId(), store::namespacePath);
    if (path.isEmpty()) {
      // dropped while we looked: the table went with it
      namespacePaths.invalidate(ref.namespaceId());
      throw missing.get();
    }
    return namespacePath(warehouse, path.get().ids()).child(new ObjectRef(type, ref.id().toString()));
  }

  private static Resource namespacePath(Warehouse warehouse, List<UUID> path) {
    Resource resource = warehouse(warehouse);
    for (UUID id : path) {
      resource = resource.child(new ObjectRef(ObjectType.NAMESPACE, id.toString()));
    }
    return resource;
  }

  /** Finds an object named by the management API, by its id; empty if it does not exist. */
  public Optional<Resource> resolve(ObjectRef ref) {
    try {
      return switch (ref.type()) {
        case SERVER -> ref.equals(ObjectRef.SERVER) ? Optional.of(server()) : Optional.empty();
        case PROJECT -> store.project(ProjectId.parse(ref.id())).map(project -> project(project.id()));
        case WAREHOUSE -> store.warehouse(WarehouseId.parse(ref.id())).map(Access::warehouse);
        case NAMESPACE -> namespaceById(UUID.fromString(ref.id()));
        case TABLE, VIEW -> {
          UUID id = UUID.fromString(ref.id());
          Set<UUID> namespaces = store.tabularNamespaces(Set.of(id));
          yield namespaces.isEmpty()
              ? Optional.<Resource>empty()
              : namespaceById(namespaces.iterator().next()).map(namespace -> namespace.child(ref));
        }
        case ROLE -> roles.role(UUID.fromString(ref.id())).map(Access::role);
      };
    } catch (IllegalArgumentException | io.floe.spi.error.BadRequestException e) {
      return Optional.empty(); // not an id at all
    }
  }

  private Optional<Resource> namespaceById(UUID id) {
    Optional<NamespacePath> path = store.namespacePath(id);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    return store.warehouse(path.get().warehouse()).map(warehouse -> namespacePath(warehouse, path.get().ids()));
  }

  // ---- checks

  /**
   * Requires {@code relation} on an object, found only when needed.
   *
   * @param hidden what a caller who may not describe the object is told (the same error as if it
   *     did not exist)
   * @throws ForbiddenException when the caller may describe the object but not act on it
   */
  public void require(
      Principal principal, Relation relation, Supplier<Resource> resource, Supplier<? extends RuntimeException> hidden) {
    if (!authorizer.enforcing()) {
      return;
    }
    require(principal, relation, resource.get(), hidden);
  }

  public void require(Principal principal, Relation relation, Resource resource, Supplier<? extends RuntimeException> hidden) {
    if (!authorizer.enforcing()) {
      return;
    }
    Set<Relation> held = held(principal, resource, relation, Relation.DESCRIBE);
    if (held.contains(relation)) {
      return;
    }
    if (!held.contains(Relation.DESCRIBE)) {
      throw hidden.get();
    }
    throw forbidden(principal, relation, resource);
  }

  /** Requires a relation on each of several objects, in one round trip. */
  public void requireAll(Principal principal, Relation relation, List<Resource> resources, List<Supplier<? extends RuntimeException>> hidden) {
    if (!authorizer.enforcing() || resources.isEmpty()) {
      return;
    }
    List<Check> checks = new ArrayList<>();
    for (Resource resource : resources) {
      checks.add(new Check(resource, relation));
      checks.add(new Check(resource, Relation.DESCRIBE));
    }
    boolean[] allowed = authorizer.check(principal, checks);
    for (int i = 0; i < resources.size(); i++) {
      if (!allowed[2 * i]) {
        if (!allowed[2 * i + 1]) {
          throw hidden.get(i).get();
        }
        throw forbidden(principal, relation, resources.get(i));
      }
    }
  }

  /** Which of {@code relations} the principal holds on an object (all of them when not enforcing). */
  public Set<Relation> held(Principal principal, Resource resource, Relation... relations) {
    if (!authorizer.enforcing()) {
      return EnumSet.of(relations[0], relations);
    }
    List<Check> checks = new ArrayList<>(relations.length);
    for (Relation relation : relations) {
      checks.add(new Check(resource, relation));
    }
    boolean[] allowed = authorizer.check(principal, checks);
    Set<Relation> held = EnumSet.noneOf(Relation.class);
    for (int i = 0; i < relations.length; i++) {
      if (allowed[i]) {
        held.add(relations[i]);
      }
    }
    return held;
  }

  public boolean[] check(Principal principal, List<Check> checks) {
    return authorizer.check(principal, checks);
  }

  private static ForbiddenException forbidden(Principal principal, Relation relation, Resource resource) {
    return new ForbiddenException(
        "Forbidden: %s lacks %s on %s %s", principal.id(), relation.text(), resource.object().type().text(),
        resource.object().id());
  }

  // ---- what a caller sees without describe

  /**
   * What a caller who may not describe a container still sees in it: the namespaces on the way to
   * an object it was granted (their names, so that clients can navigate), and the tables and views
   * it was granted. Grants on a parent reach every child, so where the caller cannot describe a
   * container, only grants made on objects inside it count.
   */
  private record Reach(Set<WarehouseId> warehouses, Set<UUID> namespaces, Set<UUID> tables, Set<UUID> views) {
    boolean reaches(Resource resource) {
      String id = resource.object().id();
      return switch (resource.object().type()) {
        case WAREHOUSE -> warehouses.contains(WarehouseId.parse(id));
        case NAMESPACE -> namespaces.contains(UUID.fromString(id));
        default -> false;
      };
    }
  }

  private Reach reach(Principal principal) {
    // the three reads are independent: ask them at once
    Set<UUID> namespaces;
    Set<UUID> tables;
    Set<UUID> views;
    try (java.util.concurrent.ExecutorService reads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      java.util.concurrent.Future<Set<String>> grantedTables = reads.submit(() -> authorizer.granted(principal, ObjectType.TABLE));
      java.util.concurrent.Future<Set<String>> grantedViews = reads.submit(() -> authorizer.granted(principal, ObjectType.VIEW));
      namespaces = uuids(authorizer.granted(principal, ObjectType.NAMESPACE));
      tables = uuids(grantedTables.get());
      views = uuids(grantedViews.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.floe.spi.error.UnavailableException(e, "Interrupted while reading grants");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
    Set<UUID> tabulars = new HashSet<>(tables);
    tabulars.addAll(views);
    Set<UUID> leaves = new HashSet<>(namespaces);
    leaves.addAll(store.tabularNamespaces(tabulars));
    Set<WarehouseId> warehouses = new HashSet<>();
    Set<UUID> path = new HashSet<>();
    for (UUID leaf : leaves) {
      Optional<NamespacePath> found = NonBlocking.cached(namespacePaths, leaf, store::namespacePath);
      if (found.isPresent()) {
        warehouses.add(found.get().warehouse());
        path.addAll(found.get().ids());
      } else {
        namespacePaths.invalidate(leaf);
      }
    }
    return new Reach(warehouses, path, tables, views);
  }

  private static Set<UUID> uuids(Set<String> ids) {
    Set<UUID> uuids = new HashSet<>();
    for (String id : ids) {
      try {
        uuids.add(UUID.fromString(id));
      } catch (IllegalArgumentException e) {
        // not an id of this catalog's
      }
    }
    return uuids;
  }

  /**
   * Requires that the caller may describe a warehouse or namespace, or reach something granted
   * inside it: what it takes to see the container's name (the warehouse's configuration, the
   * namespace's existence and properties).
   */
  public void requireVisible(Principal principal, Supplier<Resource> container, Supplier<? extends RuntimeException> hidden) {
    if (!authorizer.enforcing()) {
      return;
    }
    Resource resource = container.get();
    if (!held(principal, resource, Relation.DESCRIBE).contains(Relation.DESCRIBE) && !reach(principal).reaches(resource)) {
      throw hidden.get();
    }
  }

  /**
   * Whether the caller may see a warehouse's or namespace's name: it may describe it, or reaches
   * something granted inside it.
   */
  public boolean visible(Principal principal, Resource container) {
    if (!authorizer.enforcing()) {
      return true;
    }
    return held(principal, container, Relation.DESCRIBE).contains(Relation.DESCRIBE) || reach(principal).reaches(container);
  }

  /**
   * The ids of the child namespaces of a warehouse or namespace that the caller may see, or null
   * when it sees all of them.
   */
  public Set<UUID> visibleNamespaces(Principal principal, Supplier<Resource> parent, Supplier<? extends RuntimeException> hidden) {
    return visible(principal, parent, hidden, Reach::namespaces);
  }

  /** The ids of the tables of a namespace that the caller may see, or null when it sees all. */
  public Set<UUID> visibleTables(Principal principal, Supplier<Resource> namespace, Supplier<? extends RuntimeException> hidden) {
    return visible(principal, namespace, hidden, Reach::tables);
  }

  /** The ids of the views of a namespace that the caller may see, or null when it sees all. */
  public Set<UUID> visibleViews(Principal principal, Supplier<Resource> namespace, Supplier<? extends RuntimeException> hidden) {
    return visible(principal, namespace, hidden, Reach::views);
  }

  private Set<UUID> visible(
      Principal principal,
      Supplier<Resource> container,
      Supplier<? extends RuntimeException> hidden,
      java.util.function.Function<Reach, Set<UUID>> children) {
    if (!authorizer.enforcing()) {
      return null;
    }
    Resource resource = container.get();
    if (held(principal, resource, Relation.DESCRIBE).contains(Relation.DESCRIBE)) {
      return null;
    }
    Reach reach = reach(principal);
    if (!reach.reaches(resource)) {
      throw hidden.get();
    }
    return children.apply(reach);
  }

  /** Whether the caller may see each object, in one round trip (for short listings). */
  public boolean[] describable(Principal principal, List<Resource> resources) {
    List<Check> checks = resources.stream().map(r -> new Check(r, Relation.DESCRIBE)).toList();
    return authorizer.check(principal, checks);
  }

  // ---- lifecycle

  /**
   * Creates an object owned by its creator: the grant is written first, so that no object exists
   * without its owner; it is removed again only when the creation certainly failed.
   */
  public <T> T creating(Principal principal, ObjectRef created, Supplier<T> create) {
    if (!authorizer.enforcing()) {
      return create.get();
    }
    authorizer.update(created, List.of(new Assignment(principal.id(), Relation.OWNERSHIP)), List.of());
    try {
      return create.get();
    } catch (CommitStateUnknownException e) {
      throw e; // it may exist: it keeps its owner
    } catch (RuntimeException | Error e) {
      forget(created);
      throw e;
    }
  }

  /**
   * Removes the grants on a deleted object. A failure is logged and left: ids are never reused,
   * so a grant on a deleted object gives nothing.
   */
  public void forget(ObjectRef deleted) {
    if (!authorizer.enforcing()) {
      return;
    }
    try {
      authorizer.forget(deleted);
    } catch (RuntimeException e) {
      LOG.warn("Cannot remove the grants on deleted {}: {}", deleted, e.toString());
    }
  }
}
