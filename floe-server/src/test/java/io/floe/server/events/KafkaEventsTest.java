package io.floe.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.Brokers;
import io.floe.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events reach a real Kafka broker (KRaft): one per change, keyed by the changed object's id so
 * that one table's events stay in order in one partition; a broker that is down delays them and
 * loses none.
 */
class KafkaEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static Brokers.Kafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = new Brokers.Kafka(Files.createTempDirectory("floe-kafka"));
    kafka.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  private static Map<String, String> settings(String topic) {
    return Map.of("FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap(), "FLOE_EVENTS_KAFKA_TOPIC", topic);
  }

  @Test
  void eachChangeArrivesOnceKeyedByItsObject() throws Exception {
    String topic = "floe-once";
    try (TestServer server = TestServer.start(settings(topic))) {
      String prefix = server.demoPrefix();
      ok(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"k\"]}"));
      ok(server.post("/v1/" + prefix + "/namespaces/k/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}"));
      ok(server.post("/v1/" + prefix + "/namespaces/k/tables/t", setProperty("a", "1")));
      ok(server.delete("/v1/" + prefix + "/namespaces/k/tables/t"));
      List<ConsumerRecord<String, byte[]>> records = consume(topic, 6, Duration.ofSeconds(60));
      List<JsonNode> events = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : records) {
        JsonNode event = JSON.readTree(record.value());
        assertThat(record.key()).isEqualTo(event.path("floeobject").asText());
        assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
            .isEqualTo("application/cloudevents+json");
        events.add(event);
      }
      assertThat(events.stream().map(e -> e.path("type").asText()).toList())
          .containsExactlyInAnyOrder(
              // the default project and demo warehouse, made at start
              "io.floe.project.created", "io.floe.warehouse.created", "io.floe.namespace.created", "io.floe.table.created",
              "io.floe.table.committed", "io.floe.table.dropped");
      List<String> table =
          events.stream()
              .filter(e -> e.path("type").asText().startsWith("io.floe.table."))
              .map(e -> e.path("type").asText())
              .toList();
      assertThat(table).containsExactly("io.floe.table.created", "io.floe.table.committed", "io.floe.table.dropped");
      assertThat(consume(topic, 7, Duration.ofSeconds(3))).hasSize(6);
    }
  }

  @Test
  void aBrokerThatIsDownDelaysEventsAndLosesNone() throws Exception {
    String topic = "floe-down";
    try (TestServer server = TestServer.start(settings(topic))) {
      String prefix = server.demoPrefix();
      ok(server.post("/v1/" + prefix + "/namespaces", "{\"namespace\":[\"down\"]}"));
      for (int t = 0; t < 4; t++) {
        ok(server.post("/v1/" + prefix + "/namespaces/down/tables", "{\"name\":\"t" + t + "\",\"schema\":" + SCHEMA + "}"));
      }
      assertThat(consume(topic, 7, Duration.ofSeconds(60))).hasSize(7);
      kafka.stop();
      for (int i = 0; i < 100; i++) {
        ok(server.post("/v1/" + prefix + "/namespaces/down/tables/t" + (i % 4), setProperty("i", Integer.toString(i))));
      }
      Thread.sleep(1000);
      kafka.start();
      List<JsonNode> commits = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : consume(topic, 107, Duration.ofSeconds(90))) {
        JsonNode event = JSON.readTree(record.value());
        if (event.path("type").asText().equals("io.floe.table.committed")) {
          commits.add(event);
        }
      }
      assertThat(commits).hasSize(100);
      Map<String, List<JsonNode>> byTable = new LinkedHashMap<>();
      commits.forEach(e -> byTable.computeIfAbsent(e.path("floeobject").asText(), k -> new ArrayList<>()).add(e));
      assertThat(byTable).hasSize(4);
      for (List<JsonNode> events : byTable.values()) {
        assertThat(events).hasSize(25);
        for (int i = 1; i < events.size(); i++) {
          assertThat(events.get(i).path("data").path("previous-metadata-location").asText())
              .isEqualTo(events.get(i - 1).path("data").path("metadata-location").asText());
        }
      }
    }
  }

  /** The distinct records of a topic from its start (in partition order), up to {@code count}. */
  private static List<ConsumerRecord<String, byte[]>> consume(String topic, int count, Duration timeout) throws Exception {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (seen.add(JSON.readTree(record.value()).path("id").asText())) {
            records.add(record);
          }
        }
      }
    }
    return records;
  }

  private static String setProperty(String key, String value) {
    return "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"" + key + "\":\"" + value + "\"}}]}";
  }

  private static void ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
  }
}
