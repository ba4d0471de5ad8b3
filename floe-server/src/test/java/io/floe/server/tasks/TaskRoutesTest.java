package io.floe.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import io.floe.spi.tasks.Task;
import io.floe.spi.tasks.TaskQueue;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.Database;
import io.floe.store.postgres.DatabaseConfig;
import io.floe.store.postgres.PostgresTaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The management routes of a warehouse's tasks: list with filters and pages, retry, cancel. */
class TaskRoutesTest {
  private static TestServer server;
  private static Database database;
  private static PostgresTaskQueue queue;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of());
    database = new Database(new DatabaseConfig(server.databaseUrl(), null, null, null, 2, 2, Duration.ofSeconds(5)), null);
    queue = new PostgresTaskQueue(database);
    prefix = server.demoPrefix();
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  @Test
  void tasksAreListedRetriedAndCancelled() {
    WarehouseId warehouse = WarehouseId.parse(prefix);
    Task pending = queue.enqueue("test-purge", warehouse, "{}", Instant.now().plusSeconds(3600), 1);
    Task failing = queue.enqueue("test-expire", warehouse, "{}", Instant.now(), 1);
    TaskQueue.Lease lease = queue.lease(Set.of("test-expire"), "test", Duration.ofSeconds(30)).orElseThrow();
    queue.fail(lease, "bucket gone", Duration.ZERO);
    String tasks = "/management/v1/warehouses/" + prefix + "/tasks";

    String all = server.get(tasks).body();
    assertThat(all).contains(pending.id().toString()).contains(failing.id().toString());
    String failed = server.get(tasks + "?state=failed").body();
    assertThat(failed).contains(failing.id().toString()).contains("bucket gone").doesNotContain(pending.id().toString());
    assertThat(server.get(tasks + "?kind=test-purge").body()).contains(pending.id().toString()).doesNotContain(failing.id().toString());
    String firstPage = server.get(tasks + "?pageSize=1").body();
    assertThat(firstPage).contains("\"next-page-token\":\"");
    assertThat(server.get(tasks + "?state=lost").statusCode()).isEqualTo(400);
    assertThat(server.get(tasks + "?pageSize=0").statusCode()).isEqualTo(400);

    // a failed task is retried: pending again, attempts reset
    var retried = server.post(tasks + "/" + failing.id() + "/retry", "");
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    assertThat(retried.body()).contains("\"state\":\"pending\"").contains("\"attempts\":0");
    // a pending one cannot be retried, but cancelled, once
    assertThat(server.post(tasks + "/" + pending.id() + "/retry", "").statusCode()).isEqualTo(409);
    assertThat(server.post(tasks + "/" + pending.id() + "/cancel", "").body()).contains("\"state\":\"cancelled\"");
    assertThat(server.post(tasks + "/" + pending.id() + "/cancel", "").statusCode()).isEqualTo(409);
    // another warehouse's task, or none at all, is not found here
    Task elsewhere = queue.enqueue("test-purge", WarehouseId.random(), "{}", Instant.now().plusSeconds(3600), 1);
    assertThat(server.post(tasks + "/" + elsewhere.id() + "/cancel", "").statusCode()).isEqualTo(404);
    assertThat(server.post(tasks + "/not-a-task/cancel", "").statusCode()).isEqualTo(404);
    // the server's own tasks are listed apart: the outbox's pruning is one, always there
    String serverTasks = server.get("/management/v1/tasks?kind=prune-events").body();
    assertThat(serverTasks).contains("\"kind\":\"prune-events\"");
    assertThat(server.get("/management/v1/tasks").body()).doesNotContain(pending.id().toString());
    assertThat(server.post("/management/v1/tasks/" + pending.id() + "/retry", "").statusCode()).isEqualTo(404);
  }
}
