package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.spi.events.ChangeEvent;
import io.floe.store.postgres.testing.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The backlog the metrics report: tasks waiting or dead, events not yet delivered. */
class BacklogTest {
  @Test
  void readsTasksByKindAndStateAndEventsBehindEachCursor() throws Exception {
    try (Database database = TestDatabase.migrated()) {
      Backlog backlog = new Backlog(database);
      assertThat(backlog.read()).isEqualTo(new Backlog.Reading(java.util.List.of(), java.util.List.of()));

      PostgresTaskQueue tasks = new PostgresTaskQueue(database);
      tasks.ensure(UUID.randomUUID(), "purge-table", "{}", 3);
      tasks.ensure(UUID.randomUUID(), "purge-table", "{}", 3);
      PostgresEventOutbox outbox = new PostgresEventOutbox(database, java.time.Duration.ZERO);
      for (int i = 0; i < 5; i++) {
        outbox.append(new ChangeEvent(UUID.randomUUID(), "io.floe.table.committed", null, UUID.randomUUID(), "{}"));
      }
      long first = outbox.cursor("nats");
      outbox.advance("nats", first + 2);

      Backlog.Reading reading = backlog.read();
      assertThat(reading.tasks()).containsExactly(new Backlog.Tasks("purge-table", "pending", 2));
      assertThat(reading.events()).containsExactly(new Backlog.Events("nats", 3));
    }
  }
}
