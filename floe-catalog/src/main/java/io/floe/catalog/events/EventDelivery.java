package io.floe.catalog.events;

import static java.util.Objects.requireNonNull;

import io.floe.spi.events.EventOutbox;
import io.floe.spi.events.EventPublisher;
import io.floe.spi.events.OutboxEvent;
import io.floe.spi.tasks.Task;
import io.floe.spi.tasks.TaskQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to each publisher, as a recurring task per publisher: whichever server holds
 * its lease delivers, from the cursor the outbox keeps for it, for a while (a run), then lets the
 * task come due again. A server that dies mid-run loses nothing: the next holder starts from the
 * cursor, which moves only past what the broker acknowledged. A broker that is down is retried
 * with a growing pause, inside the run; events wait in the outbox meanwhile.
 */
public final class EventDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
  /**
   * The recurring task that delivers to one publisher is of kind {@code deliver-events:<name>}:
   * only servers that have that publisher lease it.
   */
  public static final String DELIVER_TASK = "deliver-events:";
  /** The recurring task that removes events older than the retention. */
  public static final String PRUNE_TASK = "prune-events";

  /**
   * How delivery runs.
   *
   * @param run how long one run of a delivery task lasts: well under a task lease, so that a run
   *     whose lease was lost ends before another server's starts
   * @param poll the pause when the outbox has nothing new
   * @param batch events read and published at a time
   * @param maxBackoff the longest pause between tries while a broker refuses
   * @param retention how long events stay in the outbox
   * @param pruneEvery how often old events are removed
   */
  public record Settings(
      Duration run, Duration poll, int batch, Duration maxBackoff, Duration retention, Duration pruneEvery) {
    public static Settings defaults(Duration retention) {
      return new Settings(
          Duration.ofSeconds(8), Duration.ofMillis(100), 1000, Duration.ofSeconds(5), retention, Duration.ofMinutes(10));
    }
  }

  private static final int IDLE_POLLS = 20;
  private static final Duration IDLE_POLL = Duration.ofMillis(250);

  private final EventOutbox outbox;
  private final Map<String, EventPublisher> publishers;
  private final Settings settings;

  public EventDelivery(EventOutbox outbox, List<EventPublisher> publishers, Settings settings) {
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.publishers =
        publishers.stream().collect(Collectors.toUnmodifiableMap(EventPublisher::name, Function.identity()));
    this.settings = requireNonNull(settings, "settings is null");
  }

  /** Makes sure each publisher's delivery task, and the pruning task, exist. */
  public void schedule(TaskQueue tasks) {
    for (String name : publishers.keySet()) {
      tasks.ensure(taskId(DELIVER_TASK + name), DELIVER_TASK + name, "{}", 1000);
    }
    tasks.ensure(taskId(PRUNE_TASK), PRUNE_TASK, "{}", 1000);
  }

  /** The task kinds that recur, with the pause between their runs. */
  public Map<String, Duration> recurring() {
    Map<String, Duration> recurring = new HashMap<>();
    publishers.keySet().forEach(name -> recurring.put(DELIVER_TASK + name, Duration.ZERO));
    recurring.put(PRUNE_TASK, settings.pruneEvery());
    return recurring;
  }

  /** How many delivery runs can be under way at once on this server: one per publisher. */
  public int concurrency() {
    return Math.max(1, publishers.size());
  }

  /** One run of a publisher's delivery task. */
  void deliver(EventPublisher publisher) throws Exception {
    String name = publisher.name();
    long end = System.nanoTime() + settings.run().toNanos();
    long cursor = outbox.cursor(name);
    Duration backoff = Duration.ZERO;
    int idle = 0;
    while (System.nanoTime() < end) {
      List<OutboxEvent> events = outbox.read(null, cursor, settings.batch());
      if (events.isEmpty()) {
        // a quiet catalog is polled less often: the first events after a lull wait up to 0.25 s
        Thread.sleep(++idle > IDLE_POLLS ? IDLE_POLL.toMillis() : settings.poll().toMillis());
        continue;
      }
      idle = 0;
      int taken = publish(publisher, events, end);
      if (taken > 0) {
        cursor = events.get(taken - 1).position();
        outbox.advance(name, cursor);
        backoff = Duration.ZERO;
      }
      if (taken < events.size()) {
        backoff = min(backoff.isZero() ? Duration.ofMillis(100) : backoff.multipliedBy(2), settings.maxBackoff());
        Thread.sleep(Math.min(backoff.toMillis(), Math.max(0, (end - System.nanoTime()) / 1_000_000)));
      } else if (events.size() < settings.batch()) {
        // caught up: let the next events gather rather than spend two transactions on each few
        Thread.sleep(settings.poll().toMillis());
      }
    }
  }

  /**
   * Publishes a batch one wave at a time, a wave holding at most one event of each object: a later
   * change of an object goes out only once the broker took the earlier ones. A broker may take an
   * event and refuse (or lose) one sent before it, and the refused one is given again after; were
   * both changes of one object, its consumers would see them out of order. Returns how many of the
   * first events were taken.
   */
  private int publish(EventPublisher publisher, List<OutboxEvent> events, long end)
      throws InterruptedException {
    int taken = 0;
    do {
      List<OutboxEvent> wave = wave(events, taken);
      int took;
      try {
        took = Math.clamp(publisher.publish(wave), 0, wave.size());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        LOG.warn(
            "events: {} refused {} events from position {}: {}",
            publisher.name(), wave.size(), wave.getFirst().position(), e.toString());
        took = 0;
      }
      taken += took;
      if (took < wave.size()) {
        break;
      }
    } while (taken < events.size() && System.nanoTime() < end);
    return taken;
  }

  /** From {@code from}, the longest run of events whose objects all differ. */
  static List<OutboxEvent> wave(List<OutboxEvent> events, int from) {
    Set<UUID> objects = new HashSet<>();
    int to = from;
    while (to < events.size() && objects.add(events.get(to).object())) {
      to++;
    }
    return events.subList(from, to);
  }

  /** One run of the pruning task. */
  public void prune(Task task) {
    int removed = outbox.prune(Instant.now().minus(settings.retention()));
    if (removed > 0) {
      LOG.info("events: pruned {} events older than {}", removed, settings.retention());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static UUID taskId(String name) {
    return UUID.nameUUIDFromBytes(("floe-task:" + name).getBytes(StandardCharsets.UTF_8));
  }

  /** The handlers of this server's delivery tasks. */
  public Map<String, io.floe.catalog.tasks.TaskWorker.Handler> deliveryHandlers() {
    Map<String, io.floe.catalog.tasks.TaskWorker.Handler> handlers = new HashMap<>();
    publishers.values().forEach(publisher -> handlers.put(DELIVER_TASK + publisher.name(), task -> deliver(publisher)));
    return handlers;
  }
}
