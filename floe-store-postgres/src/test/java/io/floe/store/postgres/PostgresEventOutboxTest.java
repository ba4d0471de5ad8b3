package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.OutboxEvent;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's order has no gaps that a later commit could fill: an event is given a position
 * only once every transaction that could still add an earlier one has ended.
 */
class PostgresEventOutboxTest {
  private Database database;
  private PostgresEventOutbox outbox;
  private String url;

  @BeforeEach
  void setUp() {
    url = TestDatabase.create();
    database = new Database(new DatabaseConfig(url, null, null, null, 4, 4, java.time.Duration.ofSeconds(5)), null);
    database.migrate();
    outbox = new PostgresEventOutbox(database, java.time.Duration.ZERO);
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  @Test
  void anEventCommittedLaterIsNotPassedOver() throws Exception {
    WarehouseId warehouse = WarehouseId.random();
    try (Connection slow = DriverManager.getConnection(url); Connection fast = DriverManager.getConnection(url)) {
      slow.setAutoCommit(false);
      insert(slow, warehouse, "slow"); // written first, committed last
      insert(fast, warehouse, "fast"); // autocommit: committed at once
      // the slow transaction might still commit an earlier event: nothing is given a position yet
      assertThat(outbox.read(null, 0, 10)).isEmpty();
      slow.commit();
    }
    List<OutboxEvent> events = outbox.read(warehouse, 0, 10);
    assertThat(events).extracting(OutboxEvent::type).containsExactly("slow", "fast");
    assertThat(events.get(0).position()).isLessThan(events.get(1).position());
    // a reader that continues from its cursor sees only what came after
    appendEvent(warehouse, "third");
    assertThat(outbox.read(warehouse, events.get(1).position(), 10)).extracting(OutboxEvent::type).containsExactly("third");
  }

  @Test
  void rolledBackEventsNeverAppearAndLeaveNoHole() throws Exception {
    WarehouseId warehouse = WarehouseId.random();
    try (Connection aborted = DriverManager.getConnection(url)) {
      aborted.setAutoCommit(false);
      insert(aborted, warehouse, "aborted");
      aborted.rollback();
    }
    appendEvent(warehouse, "kept");
    assertThat(outbox.read(null, 0, 10)).extracting(OutboxEvent::type).containsExactly("kept");
  }

  @Test
  void feedsAreKeptPerWarehouseAndCursorsPerPublisher() {
    WarehouseId one = WarehouseId.random();
    WarehouseId two = WarehouseId.random();
    appendEvent(one, "a");
    appendEvent(two, "b");
    appendEvent(one, "c");
    assertThat(outbox.read(one, 0, 10)).extracting(OutboxEvent::type).containsExactly("a", "c");
    List<OutboxEvent> firstTwo = outbox.read(null, 0, 2);
    assertThat(firstTwo).extracting(OutboxEvent::type).containsExactly("a", "b");
    assertThat(outbox.cursor("nats")).isZero();
    outbox.advance("nats", 2);
    outbox.advance("nats", 1); // never back
    assertThat(outbox.cursor("nats")).isEqualTo(2);
    assertThat(outbox.cursor("kafka")).isZero();
    // pruning removes what is older than the retention, whether delivered or not
    assertThat(outbox.prune(Instant.now().minusSeconds(60))).isZero();
    assertThat(outbox.prune(Instant.now().plusSeconds(1))).isEqualTo(3);
    assertThat(outbox.read(null, 0, 10)).isEmpty();
    // positions go on from where they were, so that old cursors stay valid
    appendEvent(one, "d");
    assertThat(outbox.read(null, 0, 10)).singleElement().satisfies(d -> assertThat(d.position()).isGreaterThan(firstTwo.get(1).position()));
  }

  private void appendEvent(WarehouseId warehouse, String type) {
    outbox.append(new ChangeEvent(UUID.randomUUID(), type, warehouse, UUID.randomUUID(), "{\"type\":\"" + type + "\"}"));
  }

  /** Writes an event as a change's transaction does. */
  private static void insert(Connection c, WarehouseId warehouse, String type) throws Exception {
    OutboxParticipant.write(c, List.of(new ChangeEvent(UUID.randomUUID(), type, warehouse, UUID.randomUUID(), "{}")));
  }
}
