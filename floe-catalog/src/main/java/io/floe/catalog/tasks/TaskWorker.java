package io.floe.catalog.tasks;

import static java.util.Objects.requireNonNull;

import io.floe.spi.tasks.Task;
import io.floe.spi.tasks.TaskQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of the kinds it has handlers for: leases a due task, runs it on a virtual thread
 * while renewing its lease, and records success or a failed attempt (retried after an exponential
 * backoff, up to the task's attempts). Any number of workers, on any number of servers, may share
 * one queue; a task runs on one of them at a time, and a dead worker's task is taken over once
 * its lease runs out. Runs are timed in {@code floe.task.runs} by kind and outcome (succeeded,
 * failed, released at shutdown): a purge is a run of kind {@code purge-table}.
 */
public final class TaskWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);

  /** Does one task's work; throwing fails the attempt. */
  @FunctionalInterface
  public interface Handler {
    void run(Task task) throws Exception;
  }

  /** How a worker leases and retries. */
  public record Settings(Duration lease, Duration poll, int concurrency, Duration firstRetry, Duration maxRetry) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(30), Duration.ofMillis(500), 4, Duration.ofSeconds(1), Duration.ofMinutes(10));

    /** The wait after attempt {@code attempts} failed: doubling from the first retry, capped. */
    public Duration backoff(int attempts) {
      long millis = firstRetry.toMillis() << Math.min(20, Math.max(0, attempts - 1));
      return Duration.ofMillis(Math.min(millis, maxRetry.toMillis()));
    }
  }

  private final TaskQueue queue;
  private final Map<String, Handler> handlers;
  private final Map<String, Duration> recurring;
  private final String name;
  private final Settings settings;
  private final Semaphore slots;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Semaphore wake = new Semaphore(0);
  private final java.util.Set<Thread> runs = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Thread poller;
  private final MeterRegistry metrics;

  public TaskWorker(TaskQueue queue, Map<String, Handler> handlers, String name, Settings settings) {
    this(queue, handlers, Map.of(), name, settings, new CompositeMeterRegistry());
  }

  /**
   * @param recurring the kinds whose tasks never end: after a run they are due again after the
   *     given pause (see {@link TaskQueue#ensure})
   */
  public TaskWorker(
      TaskQueue queue,
      Map<String, Handler> handlers,
      Map<String, Duration> recurring,
      String name,
      Settings settings,
      MeterRegistry metrics) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.handlers = Map.copyOf(handlers);
    this.recurring = Map.copyOf(recurring);
    this.name = requireNonNull(name, "name is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.slots = new Semaphore(settings.concurrency());
    // a worker without handlers has nothing to lease
    this.poller =
        handlers.isEmpty() ? null : Thread.ofPlatform().daemon().name("floe-tasks-" + name).start(this::poll);
  }

  private void poll() {
    while (running.get()) {
      try {
        if (!slots.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS)) {
          continue;
        }
        Optional<TaskQueue.Lease> lease;
        try {
          lease = queue.lease(handlers.keySet(), name, settings.lease());
        } catch (RuntimeException e) {
          slots.release();
          LOG.warn("Cannot lease a task: {}", e.toString());
          Thread.sleep(settings.poll().toMillis());
          continue;
        }
        if (lease.isEmpty()) {
          slots.release();
          // a task that ends may have made another one due (a recurring task's next run)
          wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
          wake.drainPermits();
          continue;
        }
        TaskQueue.Lease leased = lease.get();
        Thread.ofVirtual().name("floe-task-" + leased.task().kind()).start(() -> {
          runs.add(Thread.currentThread());
          try {
            run(leased);
          } finally {
            runs.remove(Thread.currentThread());
            slots.release();
            wake.release();
          }
        });
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void run(TaskQueue.Lease lease) {
    Task task = lease.task();
    Thread renewer = Thread.ofVirtual().start(() -> renew(lease));
    long start = System.nanoTime();
    try {
      handlers.get(task.kind()).run(task);
      renewer.interrupt();
      record(task, "succeeded", start);
      Duration pause = recurring.get(task.kind());
      if (pause != null ? !queue.reschedule(lease, pause) : !queue.succeed(lease)) {
        LOG.warn("Task {} ({}) finished after its lease was lost", task.id(), task.kind());
      }
    } catch (Exception e) {
      renewer.interrupt();
      if (!running.get()) {
        // stopped by the server's shutdown, not failed: due again at once, for whichever server is up
        record(task, "released", start);
        release(lease);
      } else {
        record(task, "failed", start);
        failed(lease, e);
      }
    }
  }

  private void record(Task task, String outcome, long start) {
    Timer.builder("floe.task.runs")
        .description("background task runs, by kind and outcome")
        .tag("kind", task.kind())
        .tag("outcome", outcome)
        .register(metrics)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private void release(TaskQueue.Lease lease) {
    try {
      queue.reschedule(lease, Duration.ZERO);
    } catch (RuntimeException e) {
      // its lease runs out instead
      LOG.debug("Cannot release task {}: {}", lease.task().id(), e.toString());
    }
  }

  private void failed(TaskQueue.Lease lease, Exception e) {
    Task task = lease.task();
    Duration backoff = settings.backoff(task.attempts());
    LOG.warn("Task {} ({}) failed attempt {} of {}: {}", task.id(), task.kind(), task.attempts(), task.maxAttempts(), e.toString());
    try {
      queue.fail(lease, e.toString(), backoff);
    } catch (RuntimeException failure) {
      // the lease runs out and the task is tried again
      LOG.warn("Cannot record the failure of task {}: {}", task.id(), failure.toString());
    }
  }

  /** Keeps the lease while the task runs: renewed at a third of its length. */
  private void renew(TaskQueue.Lease lease) {
    long every = Math.max(10, settings.lease().toMillis() / 3);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(every);
        if (!queue.renew(lease, settings.lease())) {
          return; // cancelled, or taken over
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("Cannot renew the lease of task {}: {}", lease.task().id(), e.toString());
      }
    }
  }

  /**
   * Stops leasing, and interrupts the tasks under way: a task that ends on the interruption is
   * released, due again at once, rather than failed.
   */
  @Override
  public void close() {
    running.set(false);
    if (poller != null) {
      poller.interrupt();
    }
    for (Thread run : runs) {
      run.interrupt();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (Thread run : runs) {
      try {
        run.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
