package io.floe.rest.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One entry of a routing table: an HTTP method, a path template such as
 * {@code /v1/{prefix}/namespaces/{namespace}}, a stable name for metrics and logs, and the handler.
 */
public record Route(String method, String template, String name, Handler handler) {
  public Route {
    requireNonNull(method, "method is null");
    requireNonNull(template, "template is null");
    requireNonNull(name, "name is null");
    requireNonNull(handler, "handler is null");
  }

  public static Route get(String template, String name, Handler handler) {
    return new Route("GET", template, name, handler);
  }

  public static Route head(String template, String name, Handler handler) {
    return new Route("HEAD", template, name, handler);
  }

  public static Route post(String template, String name, Handler handler) {
    return new Route("POST", template, name, handler);
  }

  public static Route put(String template, String name, Handler handler) {
    return new Route("PUT", template, name, handler);
  }

  public static Route delete(String template, String name, Handler handler) {
    return new Route("DELETE", template, name, handler);
  }

  List<String> segments() {
    return Router.split(template);
  }
}
