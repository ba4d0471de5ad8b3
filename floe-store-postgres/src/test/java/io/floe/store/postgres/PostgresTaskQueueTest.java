package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.tasks.Task;
import io.floe.spi.tasks.TaskQueue;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The task queue on a real PostgreSQL: leases are exclusive, run out, and fence late workers. */
class PostgresTaskQueueTest {
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
  void aDueTaskIsLeasedByOneWorkerAtATime() {
    String kind = "exclusive-" + System.nanoTime();
    Task task = queue.enqueue(kind, null, "{\"n\":1}", Instant.now(), 3);
    assertThat(task.state()).isEqualTo(Task.State.PENDING);
    TaskQueue.Lease first = queue.lease(Set.of(kind), "a", Duration.ofSeconds(30)).orElseThrow();
    assertThat(first.task().id()).isEqualTo(task.id());
    assertThat(first.task().attempts()).isEqualTo(1);
    assertThat(queue.lease(Set.of(kind), "b", Duration.ofSeconds(30))).isEmpty();
    assertThat(queue.succeed(first)).isTrue();
    assertThat(queue.task(task.id()).orElseThrow().state()).isEqualTo(Task.State.SUCCEEDED);
    assertThat(queue.lease(Set.of(kind), "b", Duration.ofSeconds(30))).isEmpty();
    // not yet due
    queue.enqueue(kind, null, "{}", Instant.now().plusSeconds(60), 3);
    assertThat(queue.lease(Set.of(kind), "b", Duration.ofSeconds(30))).isEmpty();
  }

  @Test
  void aDeadWorkersTaskIsTakenOverAndItsLateAnswerIsRefused() throws Exception {
    String kind = "takeover-" + System.nanoTime();
    Task task = queue.enqueue(kind, null, "{}", Instant.now(), 3);
    TaskQueue.Lease dead = queue.lease(Set.of(kind), "dead", Duration.ofMillis(200)).orElseThrow();
    Thread.sleep(400);
    TaskQueue.Lease next = queue.lease(Set.of(kind), "alive", Duration.ofSeconds(30)).orElseThrow();
    assertThat(next.task().id()).isEqualTo(task.id());
    assertThat(next.task().attempts()).isEqualTo(2);
    // the first worker comes back: it may neither renew, nor finish, nor fail the task
    assertThat(queue.renew(dead, Duration.ofSeconds(30))).isFalse();
    assertThat(queue.succeed(dead)).isFalse();
    assertThat(queue.fail(dead, "late", Duration.ZERO)).isFalse();
    assertThat(queue.renew(next, Duration.ofSeconds(30))).isTrue();
    assertThat(queue.succeed(next)).isTrue();
  }

  @Test
  void failedAttemptsAreRetriedThenDeadLetteredAndCanBeRetriedOrCancelled() {
    String kind = "retries-" + System.nanoTime();
    Task task = queue.enqueue(kind, null, "{}", Instant.now(), 2);
    TaskQueue.Lease first = queue.lease(Set.of(kind), "w", Duration.ofSeconds(30)).orElseThrow();
    assertThat(queue.fail(first, "boom 1", Duration.ZERO)).isTrue();
    assertThat(queue.task(task.id()).orElseThrow().state()).isEqualTo(Task.State.PENDING);
    TaskQueue.Lease second = queue.lease(Set.of(kind), "w", Duration.ofSeconds(30)).orElseThrow();
    assertThat(queue.fail(second, "boom 2", Duration.ZERO)).isTrue();
    Task failed = queue.task(task.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(Task.State.FAILED);
    assertThat(failed.lastError()).isEqualTo("boom 2");
    assertThat(queue.lease(Set.of(kind), "w", Duration.ofSeconds(30))).isEmpty();

    assertThat(queue.retry(task.id())).isTrue();
    Task retried = queue.task(task.id()).orElseThrow();
    assertThat(retried.state()).isEqualTo(Task.State.PENDING);
    assertThat(retried.attempts()).isZero();
    assertThat(queue.cancel(task.id())).isTrue();
    assertThat(queue.lease(Set.of(kind), "w", Duration.ofSeconds(30))).isEmpty();
    assertThat(queue.cancel(task.id())).isFalse();
    // a failure with a backoff is not due before it
    Task later = queue.enqueue(kind, null, "{}", Instant.now(), 5);
    TaskQueue.Lease attempt = queue.lease(Set.of(kind), "w", Duration.ofSeconds(30)).orElseThrow();
    queue.fail(attempt, "wait", Duration.ofMinutes(5));
    assertThat(queue.lease(Set.of(kind), "w", Duration.ofSeconds(30))).isEmpty();
    assertThat(queue.task(later.id()).orElseThrow().dueAt()).isAfter(Instant.now().plusSeconds(200));
  }

  @Test
  void aWarehousesTasksAreListedNewestFirstByPage() {
    WarehouseId warehouse = WarehouseId.random();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ids.add(queue.enqueue(i % 2 == 0 ? "even" : "odd", warehouse, "{}", Instant.now().plusSeconds(3600), 1).id().toString());
    }
    Set<String> seen = new HashSet<>();
    String token = null;
    int pages = 0;
    do {
      Page<Task> page = queue.list(warehouse, null, null, new PageRequest(token, 2));
      page.items().forEach(task -> seen.add(task.id().toString()));
      token = page.nextPageToken();
      pages++;
    } while (token != null);
    assertThat(seen).isEqualTo(ids);
    assertThat(pages).isEqualTo(3);
    List<Task> even = queue.list(warehouse, Task.State.PENDING, "even", new PageRequest(null, 10)).items();
    assertThat(even).hasSize(3).allMatch(task -> task.kind().equals("even"));
    assertThat(queue.list(warehouse, Task.State.FAILED, null, new PageRequest(null, 10)).items()).isEmpty();
    assertThatThrownBy(() -> queue.list(warehouse, null, null, new PageRequest("not-a-token", 2)))
        .isInstanceOf(BadRequestException.class);
    assertThat(Optional.ofNullable(queue.list(WarehouseId.random(), null, null, new PageRequest(null, 2)).nextPageToken())).isEmpty();
  }
}
