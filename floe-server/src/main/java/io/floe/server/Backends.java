package io.floe.server;

import io.floe.spi.authz.AuthorizerBackend;
import io.floe.spi.events.EventBackend;
import io.floe.spi.plugin.Plugins;
import java.util.List;

/** The event and authorizer backends this server has (on the class path or as plugins), by name. */
final class Backends {
  private Backends() {}

  static EventBackend event(String name) {
    List<EventBackend> found = Plugins.load(EventBackend.class);
    return found.stream().filter(backend -> backend.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "events: this server has no " + name + " backend (it has " + found.stream().map(EventBackend::name).toList() + ")"));
  }

  static AuthorizerBackend authorizer(String name) {
    List<AuthorizerBackend> found = Plugins.load(AuthorizerBackend.class);
    return found.stream().filter(backend -> backend.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "authorization: this server has no " + name + " backend (it has "
                + found.stream().map(AuthorizerBackend::name).toList() + ")"));
  }
}
