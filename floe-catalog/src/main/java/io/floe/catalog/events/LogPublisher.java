package io.floe.catalog.events;

import io.floe.spi.events.EventPublisher;
import io.floe.spi.events.OutboxEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each event to the log (logger {@code io.floe.events}), one line of JSON per event. */
public final class LogPublisher implements EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger("io.floe.events");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public int publish(List<OutboxEvent> events) {
    for (OutboxEvent event : events) {
      LOG.info("{}", event.json());
    }
    return events.size();
  }
}
