package io.floe.spi.events;

import java.util.List;

/**
 * Sends the outbox's events to a broker. Each publisher has its own cursor in the outbox: events
 * are given to it in order, and again after a failure, so delivery is at least once.
 */
public interface EventPublisher extends AutoCloseable {
  /** A stable name: the outbox keeps this publisher's cursor under it. */
  String name();

  /**
   * Sends events in their order and returns how many of the first ones the broker took for certain
   * (all of them normally); the rest are given again. Throwing means none was taken for certain.
   * The events of one call are of different objects: an object's next event comes in a later call,
   * after this one was taken, so a broker that takes an event while it loses one sent before cannot
   * put one object's changes out of order.
   */
  int publish(List<OutboxEvent> events) throws Exception;

  @Override
  default void close() {}
}
