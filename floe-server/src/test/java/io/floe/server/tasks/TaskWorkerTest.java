package io.floe.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.tasks.TaskWorker;
import io.floe.spi.tasks.Task;
import io.floe.store.postgres.Database;
import io.floe.store.postgres.PostgresTaskQueue;
import io.floe.store.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Workers over one real PostgreSQL: each task runs once, failures are retried, then dead-lettered. */
class TaskWorkerTest {
  private static final TaskWorker.Settings FAST =
      new TaskWorker.Settings(Duration.ofSeconds(5), Duration.ofMillis(20), 4, Duration.ofMillis(50), Duration.ofMillis(200));
  private static Database database;
  private static PostgresTaskQueue queue;

  @BeforeAll
  static void open() {
    database = TestDatabase.migrated();
    queue = new PostgresTaskQueue(database);
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @Test
  void twoWorkersRunEachTaskOnce() throws Exception {
    String kind = "count-" + UUID.randomUUID();
    Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(queue.enqueue(kind, null, "{}", Instant.now(), 3).id());
    }
    TaskWorker.Handler handler = task -> runs.computeIfAbsent(task.id(), id -> new AtomicInteger()).incrementAndGet();
    try (TaskWorker one = new TaskWorker(queue, Map.of(kind, handler), "one", FAST);
        TaskWorker two = new TaskWorker(queue, Map.of(kind, handler), "two", FAST)) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (ids.stream().anyMatch(id -> queue.task(id).orElseThrow().state() != Task.State.SUCCEEDED)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(runs.values()).allMatch(count -> count.get() == 1);
  }

  @Test
  void aFailingTaskIsRetriedWithBackoffThenFailsForGood() throws Exception {
    String kind = "fail-" + UUID.randomUUID();
    AtomicInteger attempts = new AtomicInteger();
    Task task = queue.enqueue(kind, null, "{}", Instant.now(), 3);
    try (TaskWorker worker = new TaskWorker(queue, Map.of(kind, t -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("storage unreachable");
    }), "failing", FAST)) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (queue.task(task.id()).orElseThrow().state() != Task.State.FAILED && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    Task failed = queue.task(task.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(Task.State.FAILED);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(failed.lastError()).contains("storage unreachable");
  }

  @Test
  void backoffDoublesUpToItsCeiling() {
    assertThat(List.of(1, 2, 3, 4, 9).stream().map(n -> FAST.backoff(n).toMillis()).toList())
        .containsExactly(50L, 100L, 200L, 200L, 200L);
  }
}
