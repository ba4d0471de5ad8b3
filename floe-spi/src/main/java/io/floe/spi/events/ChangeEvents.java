package io.floe.spi.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The events of the change running on this thread. The catalog knows what a change means and
 * describes it before the change is written; the store writes these events in the change's own
 * transaction, so that an event exists exactly when its change does.
 */
public final class ChangeEvents {
  private static final ThreadLocal<List<ChangeEvent>> PENDING = new ThreadLocal<>();
  private static final ThreadLocal<String> ACTOR = new ThreadLocal<>();

  private ChangeEvents() {}

  /** Runs {@code change} (one transaction of the store) with {@code events} as its events. */
  public static <T> T during(List<ChangeEvent> events, Supplier<T> change) {
    List<ChangeEvent> previous = PENDING.get();
    List<ChangeEvent> all = new ArrayList<>(previous == null ? List.of() : previous);
    all.addAll(events);
    PENDING.set(List.copyOf(all));
    try {
      return change.get();
    } finally {
      if (previous == null) {
        PENDING.remove();
      } else {
        PENDING.set(previous);
      }
    }
  }

  /** Runs {@code change} with one event. */
  public static <T> T during(ChangeEvent event, Supplier<T> change) {
    return during(List.of(event), change);
  }

  /** Runs {@code change} with one event. */
  public static void during(ChangeEvent event, Runnable change) {
    during(List.of(event), change);
  }

  /** Runs {@code change} with {@code events}. */
  public static void during(List<ChangeEvent> events, Runnable change) {
    during(events, () -> {
      change.run();
      return null;
    });
  }

  /** The events the store writes with the change running on this thread. */
  public static List<ChangeEvent> pending() {
    List<ChangeEvent> events = PENDING.get();
    return events == null ? List.of() : events;
  }

  /** What undoes {@link #actingAs}. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Marks the work on this thread, until the scope closes, as done on behalf of a principal (its
   * id), who is named in the events it causes.
   */
  public static Scope actingAs(String principal) {
    String previous = ACTOR.get();
    ACTOR.set(principal);
    return () -> {
      if (previous == null) {
        ACTOR.remove();
      } else {
        ACTOR.set(previous);
      }
    };
  }

  /** Who causes the changes on this thread, when identity is known. */
  public static Optional<String> actor() {
    return Optional.ofNullable(ACTOR.get());
  }
}
