package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.catalog.authz.Access;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.rest.http.Call;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import io.floe.spi.authz.Resource;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.ForbiddenException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.tenancy.Warehouse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTUtil;

/**
 * Grants: who holds what on an object, what the caller may do on it, and granting and revoking.
 * Objects are named by type and id: {@code server/floe}, a project's id, a warehouse's id (its REST
 * prefix), or a namespace's, table's or view's id, which the lookup routes give by name.
 *
 * <pre>
 * curl -H "Authorization: Bearer $T" localhost:8181/management/v1/permissions/warehouse/$W/assignments
 * curl -X POST -H "Authorization: Bearer $T" localhost:8181/management/v1/permissions/warehouse/$W/assignments \
 *   -d '{"writes":[{"principal":"oidc~4f1c...","relation":"select"}],"deletes":[]}'
 * curl -H "Authorization: Bearer $T" localhost:8181/management/v1/permissions/table/$ID/actions
 * curl -H "Authorization: Bearer $T" localhost:8181/management/v1/warehouses/$W/namespaces/sales/tables/orders
 * </pre>
 */
public final class PermissionRoutes implements RouteGroup {
  public static final String ASSIGNMENTS = "/management/v1/permissions/{type}/{id}/assignments";
  public static final String ACTIONS = "/management/v1/permissions/{type}/{id}/actions";
  public static final String NAMESPACE = "/management/v1/warehouses/{warehouse}/namespaces/{namespace}";
  public static final String TABLE = "/management/v1/warehouses/{warehouse}/namespaces/{namespace}/tables/{table}";
  public static final String VIEW = "/management/v1/warehouses/{warehouse}/namespaces/{namespace}/views/{view}";
  public static final String CHECK = "/management/v1/permissions/check";
  /** The most checks one batch may hold. */
  static final int MAX_CHECKS = 10_000;

  private final Access access;
  private final Warehouses warehouses;
  private final io.floe.spi.events.EventOutbox events;

  public PermissionRoutes(Access access, Warehouses warehouses, io.floe.spi.events.EventOutbox events) {
    this.access = requireNonNull(access, "access is null");
    this.events = requireNonNull(events, "events is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(ASSIGNMENTS, "get-assignments", this::assignments),
        Route.post(ASSIGNMENTS, "update-assignments", this::update),
        Route.get(ACTIONS, "get-actions", this::actions),
        Route.post(CHECK, "check-permissions", this::check).replay(io.floe.rest.http.Replay.IGNORED),
        Route.get(NAMESPACE, "lookup-namespace", this::namespace),
        Route.get(TABLE, "lookup-table", call -> tabular(call, ObjectType.TABLE, call.path("table"))),
        Route.get(VIEW, "lookup-view", call -> tabular(call, ObjectType.VIEW, call.path("view"))));
  }

  private Object assignments(Call call) {
    Resource resource = object(call, Relation.MANAGE_GRANTS);
    List<Map<String, String>> assignments = new ArrayList<>();
    for (Assignment assignment : access.authorizer().assignments(resource.object())) {
      assignments.add(Map.of("principal", assignment.principal(), "relation", assignment.relation().text()));
    }
    return Map.of("assignments", assignments);
  }

  private Object update(Call call) {
    JsonNode body = call.jsonBody();
    if (!body.isObject()) {
      throw new BadRequestException("Invalid request: expected {\"writes\":[...],\"deletes\":[...]}");
    }
    ObjectType type = ObjectType.parse(call.path("type"));
    List<Assignment> writes = assignments(body.get("writes"), "writes", type);
    List<Assignment> deletes = assignments(body.get("deletes"), "deletes", type);
    Resource resource = object(call, Relation.DESCRIBE);
    if (!access.enforcing()) {
      access.authorizer().update(resource.object(), writes, deletes);
      changed(resource, writes, deletes);
      return null;
    }
    // ownership is granted by owners; anything else by those who manage grants, or passed on by
    // those who may pass grants and hold the relation themselves
    Relation[] relevant = type.relations().stream().filter(r -> r != Relation.ASSIGNEE).toArray(Relation[]::new);
    Set<Relation> held = access.held(call.principal(), resource, relevant);
    List<Assignment> all = new ArrayList<>(writes);
    all.addAll(deletes);
    for (Assignment assignment : all) {
      Relation relation = assignment.relation();
      boolean allowed =
          held.contains(Relation.OWNERSHIP)
              || (relation != Relation.OWNERSHIP && held.contains(Relation.MANAGE_GRANTS))
              || (relation != Relation.OWNERSHIP && relation != Relation.MANAGE_GRANTS && relation != Relation.PASS_GRANTS
                  && relation != Relation.ASSIGNEE && held.contains(Relation.PASS_GRANTS) && held.contains(relation));
      if (!allowed) {
        throw new ForbiddenException(
            "Forbidden: %s may not grant or revoke %s on %s %s", call.principal().id(), relation.text(), type.text(),
            resource.object().id());
      }
    }
    access.authorizer().update(resource.object(), writes, deletes);
    changed(resource, writes, deletes);
    return null;
  }

  /** Tells of changed grants, once OpenFGA took them. */
  private void changed(Resource resource, List<Assignment> writes, List<Assignment> deletes) {
    io.floe.spi.tenancy.Warehouse warehouse = null;
    List<ObjectRef> chain = new ArrayList<>();
    chain.add(resource.object());
    chain.addAll(resource.ancestors());
    for (ObjectRef ref : chain) {
      if (ref.type() == ObjectType.WAREHOUSE) {
        warehouse = warehouses.byPrefix(ref.id());
        break;
      }
    }
    events.append(io.floe.catalog.events.CatalogEvents.grants(resource.object(), warehouse, writes, deletes));
  }

  private Object actions(Call call) {
    Resource resource = object(call, Relation.DESCRIBE);
    ObjectType type = resource.object().type();
    Relation[] relations = type.relations().toArray(Relation[]::new);
    Set<Relation> held = access.held(call.principal(), resource, relations);
    return Map.of("actions", held.stream().map(Relation::text).sorted().toList());
  }

  /**
   * Many checks in one round trip, for the caller or (with manage_grants on the server) for
   * another principal: what the OPA bridge asks for Trino. An object that does not exist is not
   * allowed; {@code browse} on a warehouse or namespace holds where its name may be seen.
   */
  private Object check(Call call) {
    JsonNode body = call.jsonBody();
    JsonNode checks = body.get("checks");
    if (!body.isObject() || checks == null || !checks.isArray()) {
      throw new BadRequestException("Invalid request: expected {\"principal\": optional, \"checks\": [...]}");
    }
    if (checks.size() > MAX_CHECKS) {
      throw new BadRequestException("Too many checks: %d (at most %d in one request)", checks.size(), MAX_CHECKS);
    }
    io.floe.spi.auth.Principal caller = call.principal();
    io.floe.spi.auth.Principal principal = caller;
    JsonNode asked = body.get("principal");
    if (asked != null && !asked.isNull()) {
      if (!asked.isTextual() || asked.asText().isBlank()) {
        throw new BadRequestException("Invalid principal: expected an id from whoami");
      }
      if (!asked.asText().equals(caller.id())) {
        // reading another principal's rights is reading grants
        access.require(caller, Relation.MANAGE_GRANTS, Access.server(), () -> new ForbiddenException(
            "Forbidden: %s may not check the permissions of others", caller.id()));
        principal = new io.floe.spi.auth.Principal(
            asked.asText(), io.floe.spi.auth.Principal.Kind.USER, null, null, Set.of());
      }
    }
    List<Boolean> results = new ArrayList<>();
    List<io.floe.spi.authz.Check> batch = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (JsonNode check : checks) {
      CheckedObject object = checkedObject(check);
      results.add(false);
      if (object.resource() == null) {
        continue; // no such object: nothing is allowed on it
      }
      if (object.browse()) {
        results.set(results.size() - 1, access.visible(principal, object.resource()));
      } else {
        batch.add(new io.floe.spi.authz.Check(object.resource(), object.relation()));
        positions.add(results.size() - 1);
      }
    }
    if (!batch.isEmpty()) {
      boolean[] allowed = access.enforcing() ? access.check(principal, batch) : all(batch.size());
      for (int i = 0; i < allowed.length; i++) {
        results.set(positions.get(i), allowed[i]);
      }
    }
    return Map.of("results", results.stream().map(allowed -> Map.of("allowed", allowed)).toList());
  }

  private static boolean[] all(int size) {
    boolean[] allowed = new boolean[size];
    java.util.Arrays.fill(allowed, true);
    return allowed;
  }

  /** One object of a batch check, found by name; a null resource when it does not exist. */
  private record CheckedObject(Resource resource, Relation relation, boolean browse) {}

  private CheckedObject checkedObject(JsonNode check) {
    if (!check.isObject()) {
      throw new BadRequestException("Invalid check: expected an object with type, relation and the object's name");
    }
    ObjectType type = ObjectType.parse(text(check, "type"));
    String relationText = text(check, "relation");
    boolean browse = relationText.equals("browse");
    if (browse && type != ObjectType.WAREHOUSE && type != ObjectType.NAMESPACE) {
      throw new BadRequestException("browse is checked on warehouses and namespaces only");
    }
    Relation relation = browse ? Relation.DESCRIBE : Relation.parse(relationText);
    if (!type.relations().contains(relation)) {
      throw new BadRequestException("Relation %s does not exist on a %s", relation.text(), type.text());
    }
    try {
      Resource resource;
      if (check.hasNonNull("id")) {
        resource = access.resolve(new ObjectRef(type, text(check, "id"))).orElse(null);
      } else {
        resource = switch (type) {
          case SERVER -> Access.server();
          case WAREHOUSE -> Access.warehouse(namedWarehouse(check));
          case NAMESPACE -> access.namespace(namedWarehouse(check), namespace(check));
          case TABLE -> access.table(namedWarehouse(check), TableIdentifier.of(namespace(check), text(check, "name")));
          case VIEW -> access.view(namedWarehouse(check), TableIdentifier.of(namespace(check), text(check, "name")));
          case PROJECT, ROLE -> throw new BadRequestException("A %s is named by its id", type.text());
        };
      }
      return new CheckedObject(resource, relation, browse);
    } catch (NotFoundException e) {
      return new CheckedObject(null, relation, browse);
    }
  }

  private Warehouse namedWarehouse(JsonNode check) {
    String name = text(check, "warehouse");
    try {
      return warehouses.byPrefix(name);
    } catch (NotFoundException e) {
      return warehouses.byQualifiedName(name);
    }
  }

  private static Namespace namespace(JsonNode check) {
    JsonNode levels = check.get("namespace");
    if (levels == null || !levels.isArray() || levels.isEmpty()) {
      throw new BadRequestException("Invalid check: namespace must be a non-empty list of levels");
    }
    String[] names = new String[levels.size()];
    for (int i = 0; i < names.length; i++) {
      if (!levels.get(i).isTextual()) {
        throw new BadRequestException("Invalid check: namespace levels are strings");
      }
      names[i] = levels.get(i).asText();
    }
    return Namespace.of(names);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new BadRequestException("Invalid check: %s must be a non-empty string", field);
    }
    return value.asText();
  }

  private Object namespace(Call call) {
    Warehouse warehouse = warehouse(call);
    Namespace namespace = namespaceOf(call);
    Resource resource = access.namespace(warehouse, namespace);
    access.require(call.principal(), Relation.DESCRIBE, resource, () -> noSuchNamespace(namespace));
    return described(resource, "namespace", RESTUtil.encodeNamespace(namespace));
  }

  private Object tabular(Call call, ObjectType type, String name) {
    Warehouse warehouse = warehouse(call);
    TableIdentifier identifier = TableIdentifier.of(namespaceOf(call), name);
    Resource resource = type == ObjectType.TABLE ? access.table(warehouse, identifier) : access.view(warehouse, identifier);
    access.require(
        call.principal(), Relation.DESCRIBE, resource,
        () -> new NotFoundException(
            type == ObjectType.TABLE ? NotFoundException.Kind.TABLE : NotFoundException.Kind.VIEW,
            "%s does not exist: %s", type == ObjectType.TABLE ? "Table" : "View", identifier));
    return described(resource, type.text(), identifier.toString());
  }

  private static Map<String, Object> described(Resource resource, String type, String name) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("type", type);
    described.put("id", resource.object().id());
    described.put("name", name);
    return described;
  }

  /** The object of the path, once the caller holds {@code relation} on it (404 without describe). */
  private Resource object(Call call, Relation relation) {
    ObjectType type = ObjectType.parse(call.path("type"));
    String id = call.path("id");
    Resource resource =
        access.resolve(new ObjectRef(type, id))
            .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.OBJECT, "No %s with id %s", type.text(), id));
    access.require(
        call.principal(), relation, resource,
        () -> new NotFoundException(NotFoundException.Kind.OBJECT, "No %s with id %s", type.text(), id));
    return resource;
  }

  private static List<Assignment> assignments(JsonNode node, String field, ObjectType type) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadRequestException("Invalid request: %s must be a list of {\"principal\":...,\"relation\":...}", field);
    }
    List<Assignment> assignments = new ArrayList<>();
    for (JsonNode item : node) {
      JsonNode principal = item.get("principal");
      JsonNode relation = item.get("relation");
      if (principal == null || !principal.isTextual() || principal.asText().isBlank()
          || relation == null || !relation.isTextual()) {
        throw new BadRequestException(
            "Invalid request: each of %s needs a principal (an id from whoami, or role:<id>) and a relation", field);
      }
      Relation parsed = Relation.parse(relation.asText());
      if (!type.relations().contains(parsed)) {
        throw new BadRequestException("Relation %s cannot be granted on a %s", parsed.text(), type.text());
      }
      if (principal.asText().length() > 400 || principal.asText().chars().anyMatch(Character::isISOControl)) {
        throw new BadRequestException("Invalid principal: %s", principal.asText());
      }
      assignments.add(new Assignment(principal.asText(), parsed));
    }
    return assignments;
  }

  private Warehouse warehouse(Call call) {
    return warehouses.byPrefix(call.path("warehouse"));
  }

  private static Namespace namespaceOf(Call call) {
    try {
      return RESTUtil.decodeNamespace(call.rawPath("namespace"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid namespace: %s", call.rawPath("namespace"));
    }
  }

  private static NotFoundException noSuchNamespace(Namespace namespace) {
    return new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", namespace);
  }
}
