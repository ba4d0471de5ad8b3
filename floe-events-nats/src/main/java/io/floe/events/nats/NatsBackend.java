package io.floe.events.nats;

import io.floe.spi.events.EventBackend;
import io.floe.spi.events.EventPublisher;
import java.util.Map;

/** NATS JetStream as an event backend: {@code FLOE_EVENTS_NATS_*}. */
public final class NatsBackend implements EventBackend {
  @Override
  public String name() {
    return "nats";
  }

  @Override
  public EventPublisher open(Map<String, String> settings) {
    return new NatsPublisher(NatsConfig.from(settings));
  }
}
