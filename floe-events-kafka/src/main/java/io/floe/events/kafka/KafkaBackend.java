package io.floe.events.kafka;

import io.floe.spi.events.EventBackend;
import io.floe.spi.events.EventPublisher;
import java.util.Map;

/** Kafka as an event backend: {@code FLOE_EVENTS_KAFKA_*}. */
public final class KafkaBackend implements EventBackend {
  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public EventPublisher open(Map<String, String> settings) {
    return new KafkaPublisher(KafkaConfig.from(settings));
  }
}
