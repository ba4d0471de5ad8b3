package io.floe.rest.observe;

import static java.util.Objects.requireNonNull;

import io.floe.rest.http.Call;
import io.floe.rest.http.RawJson;
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
  // constant bodies: probes come every few seconds, and a map would cost Jackson's introspection
  // of the map's class (90 classes a server would load for its probes alone)
  private static final RawJson UP = new RawJson("{\"status\":\"UP\"}");
  private static final RawJson READY = new RawJson("{\"status\":\"UP\",\"database\":\"UP\"}");
  private static final RawJson NOT_READY = new RawJson("{\"status\":\"DOWN\",\"database\":\"DOWN\"}");
  private static final RawJson STOPPING = new RawJson("{\"status\":\"STOPPING\"}");

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
        Route.get("/health", "health", call -> UP).withoutToken(),
        Route.get("/health/ready", "health-ready", this::ready).withoutToken(),
        Route.get("/metrics", "metrics", this::metrics).withoutToken());
  }

  private Object ready(Call call) {
    if (stopping.getAsBoolean()) {
      return Reply.of(503, STOPPING);
    }
    return databaseReachable.getAsBoolean() ? READY : Reply.of(503, NOT_READY);
  }

  private Object metrics(Call call) {
    return new Reply(200, registry.scrape(), Map.of("Content-Type", "text/plain; version=0.0.4; charset=utf-8"));
  }
}
