package io.floe.server.observe;

import io.floe.store.postgres.Backlog;
import io.floe.store.postgres.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the database by a background refresh, so that a scrape never waits on it:
 * {@code floe.tasks} by kind and state (pending, running, failed: the dead letters),
 * {@code floe.events.undelivered} by publisher, and {@code floe.database.up} (0 when the primary
 * did not answer the last refresh).
 */
public final class BacklogMetrics implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(BacklogMetrics.class);

  private final Backlog backlog;
  private final Database database;
  private final MultiGauge tasks;
  private final MultiGauge events;
  private final AtomicInteger up = new AtomicInteger(1);

  public BacklogMetrics(Backlog backlog, Database database, MeterRegistry metrics) {
    this.backlog = backlog;
    this.database = database;
    this.tasks = MultiGauge.builder("floe.tasks").description("background tasks by kind and state").register(metrics);
    this.events =
        MultiGauge.builder("floe.events.undelivered").description("events a publisher has still to deliver").register(metrics);
    Gauge.builder("floe.database.up", up, AtomicInteger::get)
        .description("1 when the primary database answered the last check, every 15 s")
        .register(metrics);
  }

  @Override
  public void run() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LOG.debug("backlog metrics: {}", e.toString());
    }
  }

  private void refresh() {
    if (!database.ping()) {
      up.set(0);
      return;
    }
    up.set(1);
    try {
      Backlog.Reading reading = backlog.read();
      tasks.register(
          reading.tasks().stream()
              .map(t -> MultiGauge.Row.of(Tags.of("kind", t.kind(), "state", t.state()), t.count()))
              .toList(),
          true);
      events.register(
          reading.events().stream()
              .map(e -> MultiGauge.Row.of(Tags.of("publisher", e.publisher()), e.undelivered()))
              .toList(),
          true);
    } catch (Exception e) {
      LOG.debug("backlog metrics: {}", e.toString());
    }
  }
}
