package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.catalog.authz.Access;
import io.floe.catalog.governance.Protection;
import io.floe.catalog.governance.SoftDeletion;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.rest.http.Call;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.authz.Relation;
import io.floe.spi.authz.Resource;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.ConflictException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.DeleteProfile;
import io.floe.spi.store.DeletedTabular;
import io.floe.spi.store.Page;
import io.floe.spi.store.Protectable;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.Warehouse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTUtil;

/**
 * What keeps objects from going, and brings them back: a warehouse's delete profile (modify on it
 * to change), its soft-dropped tables and views (describe to list; create on the namespace to
 * undrop into), and protection (describe to read; ownership to change).
 *
 * <pre>
 * curl -X PUT localhost:8181/management/v1/warehouses/$W/delete-profile -d '{"type":"soft","expiration-seconds":86400}'
 * curl localhost:8181/management/v1/warehouses/$W/deleted-tabulars
 * curl -X POST localhost:8181/management/v1/warehouses/$W/deleted-tabulars/$ID/undrop
 * curl -X PUT localhost:8181/management/v1/warehouses/$W/namespaces/sales/tables/orders/protection -d '{"protected":true}'
 * </pre>
 */
public final class GovernanceRoutes implements RouteGroup {
  private static final String WAREHOUSE = "/management/v1/warehouses/{warehouse}";
  public static final String DELETE_PROFILE = WAREHOUSE + "/delete-profile";
  public static final String DELETED = WAREHOUSE + "/deleted-tabulars";
  public static final String UNDROP = WAREHOUSE + "/deleted-tabulars/{tabular}/undrop";
  public static final String WAREHOUSE_PROTECTION = WAREHOUSE + "/protection";
  public static final String NAMESPACE_PROTECTION = WAREHOUSE + "/namespaces/{namespace}/protection";
  public static final String TABLE_PROTECTION = WAREHOUSE + "/namespaces/{namespace}/tables/{table}/protection";
  public static final String VIEW_PROTECTION = WAREHOUSE + "/namespaces/{namespace}/views/{view}/protection";

  private final SoftDeletion deletion;
  private final Protection protection;
  private final Warehouses warehouses;
  private final Access access;

  public GovernanceRoutes(SoftDeletion deletion, Protection protection, Warehouses warehouses, Access access) {
    this.deletion = requireNonNull(deletion, "deletion is null");
    this.protection = requireNonNull(protection, "protection is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.access = requireNonNull(access, "access is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(DELETE_PROFILE, "get-delete-profile", call -> profile(deletion.profile(warehouse(call, Relation.DESCRIBE)))),
        Route.put(DELETE_PROFILE, "set-delete-profile", this::setProfile),
        Route.get(DELETED, "list-deleted-tabulars", this::listDeleted),
        Route.post(UNDROP, "undrop-tabular", this::undrop),
        Route.get(WAREHOUSE_PROTECTION, "get-warehouse-protection", call -> protection(call, Protectable.WAREHOUSE, false)),
        Route.put(WAREHOUSE_PROTECTION, "set-warehouse-protection", call -> protection(call, Protectable.WAREHOUSE, true)),
        Route.get(NAMESPACE_PROTECTION, "get-namespace-protection", call -> protection(call, Protectable.NAMESPACE, false)),
        Route.put(NAMESPACE_PROTECTION, "set-namespace-protection", call -> protection(call, Protectable.NAMESPACE, true)),
        Route.get(TABLE_PROTECTION, "get-table-protection", call -> protection(call, Protectable.TABLE, false)),
        Route.put(TABLE_PROTECTION, "set-table-protection", call -> protection(call, Protectable.TABLE, true)),
        Route.get(VIEW_PROTECTION, "get-view-protection", call -> protection(call, Protectable.VIEW, false)),
        Route.put(VIEW_PROTECTION, "set-view-protection", call -> protection(call, Protectable.VIEW, true)));
  }

  private Object setProfile(Call call) {
    Warehouse warehouse = warehouse(call, Relation.MODIFY);
    JsonNode body = call.jsonBody();
    String type = body.path("type").asText("");
    DeleteProfile profile =
        switch (type) {
          case "hard" -> DeleteProfile.HARD;
          case "soft" -> {
            JsonNode seconds = body.get("expiration-seconds");
            if (seconds == null || !seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 1
                || seconds.asLong() > 10L * 365 * 86400) {
              throw new BadRequestException(
                  "Invalid delete profile: a soft profile needs expiration-seconds, a whole number from 1 to 315360000");
            }
            yield new DeleteProfile(Duration.ofSeconds(seconds.asLong()));
          }
          default -> throw new BadRequestException("Invalid delete profile: type must be hard or soft, got '%s'", type);
        };
    deletion.setProfile(warehouse, profile);
    return profile(profile);
  }

  private static Map<String, Object> profile(DeleteProfile profile) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", profile.soft() ? "soft" : "hard");
    if (profile.soft()) {
      body.put("expiration-seconds", profile.keepFor().toSeconds());
    }
    return body;
  }

  private Object listDeleted(Call call) {
    Warehouse warehouse = warehouse(call, Relation.DESCRIBE);
    Page<DeletedTabular> page = deletion.list(warehouse, call.page());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tabulars", page.items().stream().map(GovernanceRoutes::describe).toList());
    body.put("next-page-token", page.nextPageToken());
    return body;
  }

  private Object undrop(Call call) {
    Warehouse warehouse = warehouse(call, Relation.DESCRIBE);
    TabularId id;
    try {
      id = new TabularId(UUID.fromString(call.path("tabular")));
    } catch (IllegalArgumentException e) {
      throw noSuchDeleted(call.path("tabular"));
    }
    DeletedTabular deleted = deletion.deleted(warehouse, id).orElseThrow(() -> noSuchDeleted(call.path("tabular")));
    Resource namespace;
    try {
      namespace = access.namespace(warehouse, deleted.namespace());
    } catch (NotFoundException e) {
      throw new ConflictException(
          "Cannot undrop %s.%s: its namespace %s no longer exists; create it first",
          deleted.namespace(), deleted.name(), deleted.namespace());
    }
    // putting it back is creating it in its namespace again
    access.require(call.principal(), Relation.CREATE, namespace, () -> noSuchDeleted(call.path("tabular")));
    return describe(deletion.undrop(warehouse, id));
  }

  private Object protection(Call call, Protectable kind, boolean change) {
    Relation relation = change ? Relation.OWNERSHIP : Relation.DESCRIBE;
    // the object's own relation decides (404 without describe on it), as on the Iceberg routes
    Warehouse warehouse = warehouses.byPrefix(call.path("warehouse"));
    Boolean value = null;
    if (change) {
      JsonNode flag = call.jsonBody().get("protected");
      if (flag == null || !flag.isBoolean()) {
        throw new BadRequestException("Invalid request: protected must be true or false");
      }
      value = flag.asBoolean();
    }
    Namespace namespace = kind == Protectable.WAREHOUSE ? null : namespaceOf(call);
    TableIdentifier identifier =
        switch (kind) {
          case TABLE -> TableIdentifier.of(namespace, call.path("table"));
          case VIEW -> TableIdentifier.of(namespace, call.path("view"));
          default -> null;
        };
    Resource resource =
        switch (kind) {
          case WAREHOUSE -> Access.warehouse(warehouse);
          case NAMESPACE -> access.namespace(warehouse, namespace);
          case TABLE -> access.table(warehouse, identifier);
          case VIEW -> access.view(warehouse, identifier);
        };
    String name = identifier != null ? identifier.toString() : namespace != null ? namespace.toString() : warehouse.name();
    access.require(
        call.principal(), relation, resource,
        () -> new NotFoundException(NotFoundException.Kind.OBJECT, "%s does not exist: %s", kind.name().toLowerCase(java.util.Locale.ROOT), name));
    UUID id = UUID.fromString(resource.object().id());
    if (value != null) {
      switch (kind) {
        case WAREHOUSE -> protection.setWarehouse(warehouse, value);
        case NAMESPACE -> protection.setNamespace(warehouse, id, namespace, value);
        case TABLE, VIEW -> protection.setTabular(warehouse, new TabularId(id), identifier, kind == Protectable.VIEW, value);
      }
    }
    return Map.of("protected", value != null ? value : protection.isProtected(warehouse, kind, id));
  }

  private Warehouse warehouse(Call call, Relation relation) {
    return ManagementParsers.warehouse(warehouses, access, call, relation);
  }

  private static Map<String, Object> describe(DeletedTabular deleted) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", deleted.id().toString());
    body.put("namespace", List.of(deleted.namespace().levels()));
    body.put("name", deleted.name());
    body.put("type", deleted.view() ? "view" : "table");
    body.put("deleted-at", deleted.deletedAt().toString());
    body.put("expires-at", deleted.expiresAt().toString());
    body.put("purge-requested", deleted.purge());
    return body;
  }

  private static Namespace namespaceOf(Call call) {
    try {
      return RESTUtil.decodeNamespace(call.rawPath("namespace"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid namespace: %s", call.rawPath("namespace"));
    }
  }

  private static NotFoundException noSuchDeleted(String id) {
    return new NotFoundException(NotFoundException.Kind.OBJECT, "No dropped table or view %s to undrop", id);
  }
}
