package io.floe.rest.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One entry of a routing table: an HTTP method, a path template such as
 * {@code /v1/{prefix}/namespaces/{namespace}}, a stable name for metrics and logs, the handler,
 * how a retry with the same Idempotency-Key is answered, and whether it is open to callers without
 * a token (health and metrics only).
 */
public record Route(String method, String template, String name, Handler handler, Replay replay, boolean open) {
  public Route {
    requireNonNull(method, "method is null");
    requireNonNull(template, "template is null");
    requireNonNull(name, "name is null");
    requireNonNull(handler, "handler is null");
    requireNonNull(replay, "replay is null");
  }

  public Route(String method, String template, String name, Handler handler, Replay replay) {
    this(method, template, name, handler, replay, false);
  }

  public static Route get(String template, String name, Handler handler) {
    return new Route("GET", template, name, handler, Replay.STORED);
  }

  public static Route head(String template, String name, Handler handler) {
    return new Route("HEAD", template, name, handler, Replay.STORED);
  }

  public static Route post(String template, String name, Handler handler) {
    return new Route("POST", template, name, handler, Replay.STORED);
  }

  public static Route put(String template, String name, Handler handler) {
    return new Route("PUT", template, name, handler, Replay.STORED);
  }

  public static Route delete(String template, String name, Handler handler) {
    return new Route("DELETE", template, name, handler, Replay.STORED);
  }

  /** This route with another way of answering retries. */
  public Route replay(Replay how) {
    return new Route(method, template, name, handler, how, open);
  }

  /** This route, served to callers without a token. */
  public Route withoutToken() {
    return new Route(method, template, name, handler, replay, true);
  }

  List<String> segments() {
    return Router.split(template);
  }
}
