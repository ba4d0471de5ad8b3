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

  private final Access access;
  private final Warehouses warehouses;

  public PermissionRoutes(Access access, Warehouses warehouses) {
    this.access = requireNonNull(access, "access is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(ASSIGNMENTS, "get-assignments", this::assignments),
        Route.post(ASSIGNMENTS, "update-assignments", this::update),
        Route.get(ACTIONS, "get-actions", this::actions),
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
    return null;
  }

  private Object actions(Call call) {
    Resource resource = object(call, Relation.DESCRIBE);
    ObjectType type = resource.object().type();
    Relation[] relations = type.relations().toArray(Relation[]::new);
    Set<Relation> held = access.held(call.principal(), resource, relations);
    return Map.of("actions", held.stream().map(Relation::text).sorted().toList());
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
