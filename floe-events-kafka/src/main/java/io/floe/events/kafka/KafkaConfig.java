package io.floe.events.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Where events go in Kafka.
 *
 * @param bootstrapServers the brokers, e.g. {@code kafka:9092}
 * @param topic the topic every event goes to, keyed by the changed object's id
 * @param properties further producer settings (security, SASL, TLS), which may override Floe's
 */
public record KafkaConfig(String bootstrapServers, String topic, Map<String, String> properties) {
  public KafkaConfig {
    requireNonNull(bootstrapServers, "bootstrapServers is null");
    requireNonNull(topic, "topic is null");
    properties = Map.copyOf(properties);
  }

  @Override
  public String toString() {
    // the extra properties may hold passwords
    return "Kafka[" + bootstrapServers + ", topic " + topic + ", " + properties.size() + " extra properties]";
  }
}
