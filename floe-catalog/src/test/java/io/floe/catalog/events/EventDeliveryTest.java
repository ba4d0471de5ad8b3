package io.floe.catalog.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.EventOutbox;
import io.floe.spi.events.EventPublisher;
import io.floe.spi.events.OutboxEvent;
import io.floe.spi.tenancy.WarehouseId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventDeliveryTest {
  private static final EventDelivery.Settings SETTINGS =
      new EventDelivery.Settings(
          Duration.ofMillis(100), Duration.ofMillis(1), 50, Duration.ofMillis(1), Duration.ofDays(1), Duration.ofDays(1));

  @Test
  void aWaveHoldsEachObjectOnce() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    List<OutboxEvent> events = List.of(event(1, a), event(2, b), event(3, a), event(4, a), event(5, b));
    assertThat(EventDelivery.wave(events, 0)).extracting(OutboxEvent::position).containsExactly(1L, 2L);
    assertThat(EventDelivery.wave(events, 2)).extracting(OutboxEvent::position).containsExactly(3L);
    assertThat(EventDelivery.wave(events, 3)).extracting(OutboxEvent::position).containsExactly(4L, 5L);
    assertThat(EventDelivery.wave(events, 5)).isEmpty();
  }

  /**
   * A broker that stores some events of a call while it refuses or loses others sent before them,
   * and answers for only some of what it stored: each object's changes still reach it first in
   * their order, and every event reaches it.
   */
  @Test
  void aBrokerThatLosesSomeOfACallKeepsEachObjectInOrder() throws Exception {
    for (long seed = 0; seed < 20; seed++) {
      Outbox outbox = new Outbox();
      List<UUID> objects = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
      Random random = new Random(seed);
      for (int i = 0; i < 120; i++) {
        outbox.add(objects.get(random.nextInt(objects.size())));
      }
      LossyBroker broker = new LossyBroker(new Random(seed));
      EventDelivery delivery = new EventDelivery(outbox, List.of(broker), SETTINGS);
      for (int run = 0; run < 100 && outbox.cursor(broker.name()) < 120; run++) {
        delivery.deliver(broker);
      }
      assertThat(outbox.cursor(broker.name())).as("seed %s", seed).isEqualTo(120);
      assertThat(broker.refused).as("the broker refused some events").isPositive();

      // what a consumer that keeps the first copy of each event sees
      Map<UUID, OutboxEvent> first = new LinkedHashMap<>();
      broker.log.forEach(event -> first.putIfAbsent(event.id(), event));
      assertThat(first).hasSize(120);
      Map<UUID, List<Long>> byObject = new HashMap<>();
      first.values().forEach(e -> byObject.computeIfAbsent(e.object(), k -> new ArrayList<>()).add(e.position()));
      for (List<Long> positions : byObject.values()) {
        assertThat(positions).as("seed %s", seed).isSorted();
      }
    }
  }

  private static OutboxEvent event(long position, UUID object) {
    return new OutboxEvent(position, UUID.randomUUID(), "io.floe.table.committed", null, object, "{}");
  }

  /** Stores each event of a call or loses it at random; acknowledges a prefix of what it stored. */
  private static final class LossyBroker implements EventPublisher {
    private final Random random;
    private final List<OutboxEvent> log = new ArrayList<>();
    private int refused;

    LossyBroker(Random random) {
      this.random = random;
    }

    @Override
    public String name() {
      return "lossy";
    }

    @Override
    public int publish(List<OutboxEvent> events) {
      int acknowledged = 0;
      boolean answering = true;
      for (OutboxEvent event : events) {
        if (random.nextInt(4) == 0) {
          refused++;
          answering = false;
          continue;
        }
        log.add(event);
        if (answering && random.nextInt(10) > 0) {
          acknowledged++;
        } else {
          answering = false;
        }
      }
      return acknowledged;
    }
  }

  private static final class Outbox implements EventOutbox {
    private final List<OutboxEvent> events = new ArrayList<>();
    private final Map<String, Long> cursors = new HashMap<>();

    void add(UUID object) {
      events.add(event(events.size() + 1, object));
    }

    @Override
    public List<OutboxEvent> read(WarehouseId warehouse, long after, int limit) {
      return events.stream().filter(e -> e.position() > after).limit(limit).toList();
    }

    @Override
    public void append(ChangeEvent event) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long cursor(String publisher) {
      return cursors.getOrDefault(publisher, 0L);
    }

    @Override
    public void advance(String publisher, long position) {
      cursors.merge(publisher, position, Math::max);
    }

    @Override
    public int prune(Instant before) {
      return 0;
    }
  }
}
