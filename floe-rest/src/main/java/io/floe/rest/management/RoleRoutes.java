package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.authz.Access;
import io.floe.catalog.naming.Names;
import io.floe.catalog.tenancy.Tenancy;
import io.floe.rest.http.Call;
import io.floe.rest.http.Reply;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import io.floe.spi.authz.Role;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.tenancy.Project;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Roles of a project. Members are granted and revoked like any grant, with the relation
 * {@code assignee} on the role (a member may be a user or another role, {@code role:<id>}).
 *
 * <pre>
 * curl -X POST localhost:8181/management/v1/projects/default/roles -d '{"name":"analysts"}'
 * curl -X POST localhost:8181/management/v1/permissions/role/$ROLE/assignments \
 *   -d '{"writes":[{"principal":"oidc~ann","relation":"assignee"}]}'
 * curl -X POST localhost:8181/management/v1/permissions/warehouse/$W/assignments \
 *   -d '{"writes":[{"principal":"role:'$ROLE'","relation":"select"}]}'
 * </pre>
 */
public final class RoleRoutes implements RouteGroup {
  public static final String PROJECT_ROLES = "/management/v1/projects/{project}/roles";
  public static final String ROLE = "/management/v1/roles/{role}";

  private final Access access;
  private final Tenancy tenancy;

  public RoleRoutes(Access access, Tenancy tenancy) {
    this.access = requireNonNull(access, "access is null");
    this.tenancy = requireNonNull(tenancy, "tenancy is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post(PROJECT_ROLES, "create-role", this::create),
        Route.get(PROJECT_ROLES, "list-roles", this::list),
        Route.get(ROLE, "get-role", call -> describe(role(call, Relation.DESCRIBE))),
        Route.put(ROLE, "rename-role", this::rename),
        Route.delete(ROLE, "drop-role", this::drop));
  }

  private Object create(Call call) {
    String name = Names.check("role", ManagementParsers.name(call.jsonBody()));
    Project project = project(call, Relation.CREATE);
    Role role = new Role(UUID.randomUUID(), project.id(), name);
    access.creating(call.principal(), new ObjectRef(ObjectType.ROLE, role.id().toString()), () -> {
      access.roles().create(role);
      return role;
    });
    return Reply.of(201, describe(role));
  }

  private Object list(Call call) {
    Project project = project(call, Relation.DESCRIBE);
    // describe on the project reaches every role in it
    return Map.of("roles", access.roles().list(project.id()).stream().map(RoleRoutes::describe).toList());
  }

  private Object rename(Call call) {
    String name = Names.check("role", ManagementParsers.name(call.jsonBody()));
    Role role = role(call, Relation.OWNERSHIP);
    access.roles().rename(role.id(), name);
    return describe(new Role(role.id(), role.project(), name));
  }

  private Object drop(Call call) {
    Role role = role(call, Relation.OWNERSHIP);
    // its members and the grants it held go first, and must: a role is a subject, and members
    // of a role whose grants outlived it would keep them
    if (access.enforcing()) {
      access.authorizer().forget(new ObjectRef(ObjectType.ROLE, role.id().toString()));
    }
    access.roles().delete(role.id());
    return null;
  }

  private Role role(Call call, Relation relation) {
    String id = call.path("role");
    Role role;
    try {
      role = access.roles().role(UUID.fromString(id)).orElseThrow(() -> noSuchRole(id));
    } catch (IllegalArgumentException e) {
      throw noSuchRole(id);
    }
    access.require(call.principal(), relation, Access.role(role), () -> noSuchRole(id));
    return role;
  }

  private Project project(Call call, Relation relation) {
    String reference = call.path("project");
    Project project = ManagementRoutes.project(tenancy, reference);
    access.require(
        call.principal(), relation, Access.project(project.id()),
        () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", reference));
    return project;
  }

  private static NotFoundException noSuchRole(String id) {
    return new NotFoundException(NotFoundException.Kind.OBJECT, "Role does not exist: %s", id);
  }

  private static Map<String, Object> describe(Role role) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("id", role.id().toString());
    described.put("name", role.name());
    described.put("project-id", role.project().toString());
    return described;
  }
}
