package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.identity.Principals;
import io.floe.rest.http.Call;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.auth.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the caller is, the server's first administrator, and the principals the server has seen.
 *
 * <pre>
 * curl -H "Authorization: Bearer $TOKEN" localhost:8181/management/v1/whoami
 * curl -X POST -H "Authorization: Bearer $TOKEN" localhost:8181/management/v1/bootstrap
 * curl -H "Authorization: Bearer $TOKEN" 'localhost:8181/management/v1/users?search=ann'
 * </pre>
 */
public final class IdentityRoutes implements RouteGroup {
  public static final String WHOAMI = "/management/v1/whoami";
  public static final String BOOTSTRAP = "/management/v1/bootstrap";
  public static final String USERS = "/management/v1/users";

  private final Principals principals;

  public IdentityRoutes(Principals principals) {
    this.principals = requireNonNull(principals, "principals is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(WHOAMI, "whoami", call -> describe(call.principal())),
        Route.post(BOOTSTRAP, "bootstrap", this::bootstrap),
        Route.get(USERS, "search-users", this::searchUsers));
  }

  private Object bootstrap(Call call) {
    principals.bootstrap(call.principal());
    return null;
  }

  private Object searchUsers(Call call) {
    return Map.of("users", principals.search(call.query("search")).stream().map(IdentityRoutes::describe).toList());
  }

  /** A principal as the management API writes it: the id is how grants name it. */
  static Map<String, Object> describe(Principal principal) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("id", principal.id());
    described.put("kind", principal.kind().text());
    described.put("name", principal.name());
    described.put("email", principal.email());
    return described;
  }
}
