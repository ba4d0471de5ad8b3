package io.floe.spi.events;

import java.util.Map;

/**
 * A kind of broker that a module adds (NATS, Kafka), found with {@link io.floe.spi.plugin.Plugins}
 * and chosen by name when the server's configuration names it.
 */
public interface EventBackend {
  /** The backend's name, e.g. {@code nats}. */
  String name();

  /**
   * Opens a publisher. The settings are the backend's configuration variables (for NATS, {@code
   * FLOE_EVENTS_NATS_*}), checked and with their defaults, as the server read them; those unset are
   * absent.
   */
  EventPublisher open(Map<String, String> settings);
}
