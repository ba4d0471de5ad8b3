package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.OutboxEvent;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
    outbox = new PostgresEventOutbox(database);
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
    assertThat(events).extracting(OutboxEvent::position).containsExactly(1L, 2L);
    // a reader that continues from its cursor sees only what came after
    appendEvent(warehouse, "third");
    assertThat(outbox.read(warehouse, 2, 10)).extracting(OutboxEvent::type).containsExactly("third");
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
    assertThat(outbox.read(null, 0, 10)).extracting(OutboxEvent::type, OutboxEvent::position)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("kept", 1L));
  }

  @Test
  void feedsAreKeptPerWarehouseAndCursorsPerPublisher() {
    WarehouseId one = WarehouseId.random();
    WarehouseId two = WarehouseId.random();
    appendEvent(one, "a");
    appendEvent(two, "b");
    appendEvent(one, "c");
    assertThat(outbox.read(one, 0, 10)).extracting(OutboxEvent::type).containsExactly("a", "c");
    assertThat(outbox.read(null, 0, 2)).extracting(OutboxEvent::type).containsExactly("a", "b");
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
    assertThat(outbox.read(null, 0, 10)).extracting(OutboxEvent::position).containsExactly(4L);
  }

  private void appendEvent(WarehouseId warehouse, String type) {
    outbox.append(new ChangeEvent(UUID.randomUUID(), type, warehouse, UUID.randomUUID(), "{\"type\":\"" + type + "\"}"));
  }

  private static void insert(Connection c, WarehouseId warehouse, String type) throws Exception {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into event_outbox (id, type, warehouse_id, object_id, event) values (?, ?, ?, ?, '{}'::json)")) {
      s.setObject(1, UUID.randomUUID());
      s.setString(2, type);
      s.setObject(3, warehouse.value());
      s.setObject(4, UUID.randomUUID());
      s.executeUpdate();
    }
  }
}
