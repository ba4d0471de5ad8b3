package io.floe.rest.observe;

import static java.util.Objects.requireNonNull;

import io.floe.rest.http.Call;
import io.floe.rest.http.Reply;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Health and metrics.
 *
 * <pre>
 * curl http://127.0.0.1:8181/health          # liveness: the process serves requests
 * curl http://127.0.0.1:8181/health/ready    # readiness: the database answers
 * curl http://127.0.0.1:8181/metrics         # Prometheus text format
 * </pre>
 */
public final class ObserveRoutes implements RouteGroup {
  private final BooleanSupplier databaseReachable;
  private final BooleanSupplier stopping;
  private final PrometheusMeterRegistry registry;

  /**
   * @param stopping whether the server is shutting down: readiness is then off, so that load
   *     balancers stop sending requests before the port closes
   */
  public ObserveRoutes(BooleanSupplier databaseReachable, BooleanSupplier stopping, PrometheusMeterRegistry registry) {
    this.databaseReachable = requireNonNull(databaseReachable, "databaseReachable is null");
    this.stopping = requireNonNull(stopping, "stopping is null");
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/health", "health", call -> Map.of("status", "UP")).withoutToken(),
        Route.get("/health/ready", "health-ready", this::ready).withoutToken(),
        Route.get("/metrics", "metrics", this::metrics).withoutToken());
  }

  private Object ready(Call call) {
    if (stopping.getAsBoolean()) {
      return Reply.of(503, Map.of("status", "STOPPING"));
    }
    if (databaseReachable.getAsBoolean()) {
      return Map.of("status", "UP", "database", "UP");
    }
    return Reply.of(503, Map.of("status", "DOWN", "database", "DOWN"));
  }

  private Object metrics(Call call) {
    return new Reply(200, registry.scrape(), Map.of("Content-Type", "text/plain; version=0.0.4; charset=utf-8"));
  }
}
