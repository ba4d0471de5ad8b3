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

  /** The prefix of the settings that are further producer properties. */
  public static final String PRODUCER_PREFIX = "producer.";

  /**
   * From the server's settings: {@code FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS}, {@code _TOPIC}, and
   * each producer property as {@code producer.<name>} (the server reads them from {@code
   * FLOE_EVENTS_KAFKA_PROPERTIES_FILE}).
   */
  public static KafkaConfig from(Map<String, String> settings) {
    Map<String, String> producer = new java.util.HashMap<>();
    settings.forEach((key, value) -> {
      if (key.startsWith(PRODUCER_PREFIX)) {
        producer.put(key.substring(PRODUCER_PREFIX.length()), value);
      }
    });
    return new KafkaConfig(
        settings.get("FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS"), settings.getOrDefault("FLOE_EVENTS_KAFKA_TOPIC", "floe-events"),
        producer);
  }

  @Override
  public String toString() {
    // the extra properties may hold passwords
    return "Kafka[" + bootstrapServers + ", topic " + topic + ", " + properties.size() + " extra properties]";
  }
}
