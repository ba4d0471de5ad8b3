package io.floe.rest.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Matches a method and a raw (still percent-encoded) path against the routing table. */
public final class Router {
  /** A matched route with its path parameters, still percent-encoded, and the caller once known. */
  public record Match(Route route, Map<String, String> rawParameters, io.floe.spi.auth.Principal principal) {
    Match(Route route, Map<String, String> rawParameters) {
      this(route, rawParameters, null);
    }
  }

  private record Compiled(Route route, List<String> segments) {}

  private final List<Compiled> routes = new ArrayList<>();

  public Router(List<RouteGroup> groups) {
    for (RouteGroup group : groups) {
      for (Route route : group.routes()) {
        routes.add(new Compiled(route, route.segments()));
      }
    }
  }

  public List<Route> routes() {
    return routes.stream().map(Compiled::route).toList();
  }

  /**
   * Finds the route for a request.
   *
   * @throws HttpStatusException 404 when no template matches, 405 when only the method differs
   */
  public Match match(String method, String rawPath) {
    List<String> segments = split(rawPath);
    Set<String> allowed = new LinkedHashSet<>();
    for (Compiled compiled : routes) {
      Map<String, String> parameters = bind(compiled.segments(), segments);
      if (parameters == null) {
        continue;
      }
      if (compiled.route().method().equals(method)) {
        return new Match(compiled.route(), parameters);
      }
      allowed.add(compiled.route().method());
    }
    if (!allowed.isEmpty()) {
      throw new HttpStatusException(
          405, "MethodNotAllowedException", "Method " + method + " not allowed; allowed: " + allowed);
    }
    throw new HttpStatusException(404, "NoSuchResourceException", "No route for " + method + " " + rawPath);
  }

  private static Map<String, String> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> parameters = new HashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String expected = template.get(i);
      String actual = path.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        if (actual.isEmpty()) {
          return null;
        }
        parameters.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return null;
      }
    }
    return parameters;
  }

  static List<String> split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
  }

  /** Percent-decodes one path segment the way Iceberg clients encode it. */
  public static String decode(String raw) {
    String decoded;
    try {
      decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpStatusException(400, "BadRequestException", "Invalid percent-encoding: " + raw);
    }
    if (decoded.indexOf('\0') >= 0) {
      throw new HttpStatusException(400, "BadRequestException", "Invalid path: must not contain the NUL character");
    }
    return decoded;
  }
}
