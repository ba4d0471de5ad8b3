package io.floe.spi.events;

import io.floe.spi.tenancy.WarehouseId;
import java.time.Instant;
import java.util.List;

/**
 * The events written with their changes, in one order that never changes once given and has no
 * gap that a later commit could fill: a reader that continues after the last position it saw
 * misses nothing.
 */
public interface EventOutbox {
  /**
   * Up to {@code limit} events after {@code after} (0 for the oldest retained), oldest first: all
   * of them, or a warehouse's when {@code warehouse} is given.
   */
  List<OutboxEvent> read(WarehouseId warehouse, long after, int limit);

  /**
   * Adds an event on its own, for what happens outside the database (files deleted by a purge):
   * written after the fact, so a crash in between loses it, and a retry may write it again.
   */
  void append(ChangeEvent event);

  /** Where a publisher has delivered up to (0 when it never delivered). */
  long cursor(String publisher);

  /** Records that a publisher delivered everything up to {@code position}; never moves back. */
  void advance(String publisher, long position);

  /** Removes the events written before {@code before}; returns how many. */
  int prune(Instant before);
}
