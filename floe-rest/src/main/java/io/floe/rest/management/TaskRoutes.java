package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.authz.Access;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.rest.http.Call;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.authz.Relation;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.Page;
import io.floe.spi.tasks.Task;
import io.floe.spi.tasks.TaskQueue;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A warehouse's background tasks: listed (describe on the warehouse), retried and cancelled
 * (modify on it).
 *
 * <pre>
 * curl 'localhost:8181/management/v1/warehouses/$W/tasks?state=failed&amp;kind=purge'
 * curl -X POST localhost:8181/management/v1/warehouses/$W/tasks/$TASK/retry
 * curl -X POST localhost:8181/management/v1/warehouses/$W/tasks/$TASK/cancel
 * </pre>
 */
public final class TaskRoutes implements RouteGroup {
  public static final String TASKS = "/management/v1/warehouses/{warehouse}/tasks";
  public static final String RETRY = "/management/v1/warehouses/{warehouse}/tasks/{task}/retry";
  public static final String CANCEL = "/management/v1/warehouses/{warehouse}/tasks/{task}/cancel";
  /** Server-wide tasks (event delivery, pruning, credential clean-up): describe or modify on the server. */
  public static final String SERVER_TASKS = "/management/v1/tasks";
  public static final String SERVER_RETRY = "/management/v1/tasks/{task}/retry";
  public static final String SERVER_CANCEL = "/management/v1/tasks/{task}/cancel";

  private final TaskQueue queue;
  private final Warehouses warehouses;
  private final Access access;

  public TaskRoutes(TaskQueue queue, Warehouses warehouses, Access access) {
    this.queue = requireNonNull(queue, "queue is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.access = requireNonNull(access, "access is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(TASKS, "list-tasks", this::list),
        Route.post(RETRY, "retry-task", call -> change(call, true)),
        Route.post(CANCEL, "cancel-task", call -> change(call, false)),
        Route.get(SERVER_TASKS, "list-server-tasks", this::list),
        Route.post(SERVER_RETRY, "retry-server-task", call -> change(call, true)),
        Route.post(SERVER_CANCEL, "cancel-server-task", call -> change(call, false)));
  }

  private Object list(Call call) {
    WarehouseId warehouse = scope(call, Relation.DESCRIBE);
    String state = call.query("state");
    String kind = call.query("kind");
    Page<Task> page =
        queue.list(
            warehouse, state == null || state.isEmpty() ? null : Task.State.parse(state),
            kind == null || kind.isEmpty() ? null : kind, call.page());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tasks", page.items().stream().map(TaskRoutes::describe).toList());
    body.put("next-page-token", page.nextPageToken());
    return body;
  }

  private Object change(Call call, boolean retry) {
    WarehouseId warehouse = scope(call, Relation.MODIFY);
    UUID id;
    try {
      id = UUID.fromString(call.path("task"));
    } catch (IllegalArgumentException e) {
      throw noSuchTask(call.path("task"));
    }
    Task task =
        queue.task(id).filter(t -> java.util.Objects.equals(warehouse, t.warehouse())).orElseThrow(() -> noSuchTask(call.path("task")));
    boolean changed = retry ? queue.retry(id) : queue.cancel(id);
    if (!changed) {
      throw new CommitConflictException(
          "Cannot %s task %s: it is %s", retry ? "retry" : "cancel", id, task.state().text());
    }
    return describe(queue.task(id).orElseThrow(() -> noSuchTask(call.path("task"))));
  }

  /** The warehouse of the path, or null for the server's own tasks, once the caller holds {@code relation}. */
  private WarehouseId scope(Call call, Relation relation) {
    if (!call.hasPath("warehouse")) {
      access.require(
          call.principal(), relation, Access.server(),
          () -> new io.floe.spi.error.ForbiddenException("Forbidden: the server's tasks need %s on the server", relation.text()));
      return null;
    }
    return warehouse(call, relation).id();
  }

  private Warehouse warehouse(Call call, Relation relation) {
    return ManagementParsers.warehouse(warehouses, access, call, relation);
  }

  private static NotFoundException noSuchTask(String id) {
    return new NotFoundException(NotFoundException.Kind.OBJECT, "Task does not exist: %s", id);
  }

  private static Map<String, Object> describe(Task task) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("id", task.id().toString());
    described.put("kind", task.kind());
    described.put("state", task.state().text());
    described.put("attempts", task.attempts());
    described.put("max-attempts", task.maxAttempts());
    described.put("due-at", task.dueAt().toString());
    described.put("last-error", task.lastError());
    described.put("created-at", task.createdAt() == null ? null : task.createdAt().toString());
    described.put("updated-at", task.updatedAt() == null ? null : task.updatedAt().toString());
    return described;
  }
}
