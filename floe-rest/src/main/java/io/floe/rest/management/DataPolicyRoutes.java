package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.catalog.authz.Access;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.rest.http.Call;
import io.floe.rest.http.Replay;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.auth.Principal;
import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.Check;
import io.floe.spi.authz.DataPolicy;
import io.floe.spi.authz.DataPolicyStore;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import io.floe.spi.authz.Resource;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.ForbiddenException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.Warehouse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTUtil;

/**
 * Row filters and column masks of tables, kept by Floe and applied by engines that ask for them
 * (Trino, through the OPA bridge). Those who manage a table's grants set its policy; the policy
 * that applies to one principal is what the bridge asks for.
 *
 * <pre>
 * curl -X PUT localhost:8181/management/v1/warehouses/$W/namespaces/sales/tables/orders/data-policy -d '{
 *   "row-filters": [{"principal": "role:...", "expression": "region = ''EU''"}],
 *   "column-masks": [{"principal": "*", "column": "email", "expression": "''***''"}]}'
 * curl -X POST localhost:8181/management/v1/permissions/data-policy \
 *   -d '{"principal": "oidc~ann", "warehouse": "demo", "namespace": ["sales"], "name": "orders"}'
 * </pre>
 */
public final class DataPolicyRoutes implements RouteGroup {
  public static final String TABLE_POLICY =
      "/management/v1/warehouses/{warehouse}/namespaces/{namespace}/tables/{table}/data-policy";
  public static final String EFFECTIVE = "/management/v1/permissions/data-policy";
  private static final int MAX_RULES = 1000;

  private final Access access;
  private final Warehouses warehouses;
  private final DataPolicyStore policies;
  private final io.floe.spi.store.CatalogStore store;

  public DataPolicyRoutes(Access access, Warehouses warehouses, DataPolicyStore policies, io.floe.spi.store.CatalogStore store) {
    this.access = requireNonNull(access, "access is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.policies = requireNonNull(policies, "policies is null");
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(TABLE_POLICY, "get-data-policy", this::get),
        Route.put(TABLE_POLICY, "set-data-policy", this::put),
        Route.post(EFFECTIVE, "effective-data-policy", this::effective).replay(Replay.IGNORED));
  }

  private Object get(Call call) {
    TabularId table = table(call);
    DataPolicy policy = policies.get(table);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("row-filters", policy.rowFilters().stream()
        .map(f -> Map.of("principal", f.principal(), "expression", f.expression())).toList());
    body.put("column-masks", policy.columnMasks().stream()
        .map(m -> Map.of("principal", m.principal(), "column", m.column(), "expression", m.expression())).toList());
    return body;
  }

  private Object put(Call call) {
    TabularId table = table(call);
    JsonNode body = call.jsonBody();
    if (!body.isObject()) {
      throw new BadRequestException("Invalid data policy: expected {\"row-filters\": [...], \"column-masks\": [...]}");
    }
    List<DataPolicy.RowFilter> filters = new ArrayList<>();
    for (JsonNode filter : list(body, "row-filters")) {
      filters.add(new DataPolicy.RowFilter(principal(filter), text(filter, "expression")));
    }
    List<DataPolicy.ColumnMask> masks = new ArrayList<>();
    for (JsonNode mask : list(body, "column-masks")) {
      masks.add(new DataPolicy.ColumnMask(principal(mask), text(mask, "column"), text(mask, "expression")));
    }
    policies.put(table, new DataPolicy(filters, masks));
    return get(call);
  }

  /** The rules that apply to one principal on one table: its own, its roles' and everyone's. */
  private Object effective(Call call) {
    JsonNode body = call.jsonBody();
    if (!body.isObject()) {
      throw new BadRequestException("Invalid request: expected {\"principal\", \"warehouse\", \"namespace\", \"name\"}");
    }
    Principal caller = call.principal();
    String id = body.hasNonNull("principal") ? text(body, "principal") : caller.id();
    if (!id.equals(caller.id())) {
      access.require(caller, Relation.MANAGE_GRANTS, Access.server(), () -> new ForbiddenException(
          "Forbidden: %s may not read the data policies of others", caller.id()));
    }
    Principal principal = new Principal(id, Principal.Kind.USER, null, null, Set.of());
    Warehouse warehouse = namedWarehouse(text(body, "warehouse"));
    JsonNode levels = body.get("namespace");
    if (levels == null || !levels.isArray() || levels.isEmpty()) {
      throw new BadRequestException("Invalid request: namespace must be a non-empty list of levels");
    }
    List<String> names = new ArrayList<>();
    levels.forEach(level -> names.add(level.asText()));
    TableIdentifier identifier = TableIdentifier.of(Namespace.of(names.toArray(String[]::new)), text(body, "name"));
    Optional<io.floe.spi.store.TabularRef> ref = store.tabularRef(warehouse.id(), identifier, false);
    DataPolicy policy = ref.map(r -> policies.get(r.id())).orElse(DataPolicy.NONE);
    Set<String> applies = applying(principal, policy);
    List<Map<String, String>> filters = new ArrayList<>();
    for (DataPolicy.RowFilter filter : policy.rowFilters()) {
      if (applies.contains(filter.principal())) {
        filters.add(Map.of("expression", filter.expression()));
      }
    }
    // one mask per column: the first rule that applies
    Map<String, Map<String, String>> masks = new LinkedHashMap<>();
    for (DataPolicy.ColumnMask mask : policy.columnMasks()) {
      if (applies.contains(mask.principal())) {
        masks.putIfAbsent(mask.column(), Map.of("column", mask.column(), "expression", mask.expression()));
      }
    }
    return Map.of("row-filters", filters, "column-masks", List.copyOf(masks.values()));
  }

  /** Which of the policy's principals name this one: itself, everyone, and the roles it is in. */
  private Set<String> applying(Principal principal, DataPolicy policy) {
    Set<String> named = new LinkedHashSet<>();
    policy.rowFilters().forEach(f -> named.add(f.principal()));
    policy.columnMasks().forEach(m -> named.add(m.principal()));
    Set<String> applies = new LinkedHashSet<>();
    List<String> roles = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    for (String name : named) {
      if (name.equals(DataPolicy.EVERYONE) || name.equals(principal.id())) {
        applies.add(name);
      } else if (name.startsWith(Assignment.ROLE_PREFIX) && access.enforcing()) {
        Optional<Resource> role = access.resolve(new ObjectRef(ObjectType.ROLE, name.substring(Assignment.ROLE_PREFIX.length())));
        if (role.isPresent()) {
          roles.add(name);
          checks.add(new Check(role.get(), Relation.ASSIGNEE));
        }
      }
    }
    if (!checks.isEmpty()) {
      boolean[] member = access.check(principal, checks);
      for (int i = 0; i < member.length; i++) {
        if (member[i]) {
          applies.add(roles.get(i));
        }
      }
    }
    return applies;
  }

  /** The table of the path, once the caller may manage its grants (404 when it may not see it). */
  private TabularId table(Call call) {
    Warehouse warehouse = warehouses.byPrefix(call.path("warehouse"));
    Namespace namespace;
    try {
      namespace = RESTUtil.decodeNamespace(call.rawPath("namespace"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid namespace: %s", call.rawPath("namespace"));
    }
    TableIdentifier identifier = TableIdentifier.of(namespace, call.path("table"));
    Resource resource = access.enforcing() ? access.table(warehouse, identifier) : null;
    if (resource != null) {
      access.require(call.principal(), Relation.MANAGE_GRANTS, resource,
          () -> new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier));
      return new TabularId(UUID.fromString(resource.object().id()));
    }
    return store.tabularRef(warehouse.id(), identifier, false)
        .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", identifier))
        .id();
  }

  private Warehouse namedWarehouse(String name) {
    try {
      return warehouses.byPrefix(name);
    } catch (NotFoundException e) {
      return warehouses.byQualifiedName(name);
    }
  }

  private static List<JsonNode> list(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray() || node.size() > MAX_RULES) {
      throw new BadRequestException("Invalid data policy: %s must be a list of at most %d rules", field, MAX_RULES);
    }
    List<JsonNode> items = new ArrayList<>();
    node.forEach(items::add);
    return items;
  }

  private static String principal(JsonNode rule) {
    String principal = text(rule, "principal");
    if (principal.chars().anyMatch(Character::isISOControl) || principal.length() > 400) {
      throw new BadRequestException("Invalid principal: %s", principal);
    }
    return principal;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new BadRequestException("Invalid data policy: %s must be a non-empty string", field);
    }
    if (value.asText().length() > 10_000) {
      throw new BadRequestException("Invalid data policy: %s is too long", field);
    }
    return value.asText();
  }
}
