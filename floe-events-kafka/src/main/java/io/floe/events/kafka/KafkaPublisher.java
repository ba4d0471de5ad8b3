package io.floe.events.kafka;

import static java.util.Objects.requireNonNull;

import io.floe.spi.events.EventPublisher;
import io.floe.spi.events.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to a Kafka topic in the CloudEvents structured mode, keyed by the changed
 * object's id: one table's events land in one partition, in order. The producer is idempotent
 * (no duplicates or reordering from its own retries) and waits for every in-sync replica; an
 * event counts as delivered once its send is acknowledged.
 */
public final class KafkaPublisher implements EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final KafkaConfig config;
  private KafkaProducer<String, byte[]> producer;

  public KafkaPublisher(KafkaConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public synchronized int publish(List<OutboxEvent> events) throws Exception {
    KafkaProducer<String, byte[]> kafka = producer();
    List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
    for (OutboxEvent event : events) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(config.topic(), event.object().toString(), event.json().getBytes(StandardCharsets.UTF_8));
      record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
      sent.add(kafka.send(record));
    }
    kafka.flush();
    int taken = 0;
    for (Future<RecordMetadata> result : sent) {
      try {
        result.get();
        taken++;
      } catch (ExecutionException e) {
        LOG.warn("Kafka did not take event {} of {}: {}", taken + 1, events.size(), e.getCause().toString());
        // the producer's later sends may have been reordered after this failure: start afresh
        closeProducer();
        break;
      }
    }
    return taken;
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> settings = new HashMap<>();
      settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      settings.put(ProducerConfig.CLIENT_ID_CONFIG, "floe-events");
      settings.put(ProducerConfig.ACKS_CONFIG, "all");
      settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
      // a broker that is down must not hold a delivery run for minutes: fail, back off, try again
      settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
      settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
      settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
      settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      settings.putAll(config.properties());
      producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
      LOG.info("events: producing to {}", config);
    }
    return producer;
  }

  private void closeProducer() {
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(1));
      producer = null;
    }
  }

  @Override
  public synchronized void close() {
    closeProducer();
  }
}
