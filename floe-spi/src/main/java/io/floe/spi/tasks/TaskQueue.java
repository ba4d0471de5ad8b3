package io.floe.spi.tasks;

import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.tenancy.WarehouseId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Durable background tasks. A worker leases a due task for a while; while it holds the lease no
 * other worker gets the task, and when the lease runs out (its worker died) another one does.
 * Completing or failing a task needs the lease's token, so a worker that lost its lease cannot
 * overwrite what the next one did.
 */
public interface TaskQueue {
  /** A task leased by one worker, until {@code until}. */
  record Lease(Task task, UUID token, Instant until) {}

  /** Adds a task, due at {@code dueAt}, tried at most {@code maxAttempts} times. */
  Task enqueue(String kind, WarehouseId warehouse, String payload, Instant dueAt, int maxAttempts);

  /**
   * Makes sure a recurring task exists under a fixed id: adds it, due now, when it does not, and
   * makes it pending again when it ended failed; one that is pending, running or cancelled is left
   * as it is.
   */
  void ensure(UUID id, String kind, String payload, int maxAttempts);

  /**
   * Ends a run of a recurring task: pending again after {@code after}, with its attempts reset.
   * False when the lease was lost.
   */
  boolean reschedule(Lease lease, Duration after);

  /** Leases the task of one of these kinds that is most overdue, if any is due. */
  Optional<Lease> lease(Set<String> kinds, String worker, Duration length);

  /** Extends a lease; false when it was lost (run out and taken over, or the task cancelled). */
  boolean renew(Lease lease, Duration length);

  /** Marks a leased task succeeded; false when the lease was lost. */
  boolean succeed(Lease lease);

  /**
   * Records a failed attempt: the task is due again after {@code retryAfter}, or failed for good
   * after its last attempt. False when the lease was lost.
   */
  boolean fail(Lease lease, String error, Duration retryAfter);

  Optional<Task> task(UUID id);

  /**
   * The tasks of a warehouse (or, with null, the server-wide ones), newest first, optionally of one
   * state and one kind.
   */
  Page<Task> list(WarehouseId warehouse, Task.State state, String kind, PageRequest page);

  /** Makes a failed or cancelled task pending again, with its attempts reset; false otherwise. */
  boolean retry(UUID id);

  /** Cancels a pending or running task (a running one stops being renewed); false otherwise. */
  boolean cancel(UUID id);
}
