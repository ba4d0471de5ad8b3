package io.floe.server;

import io.floe.spi.authz.AuthorizerBackend;
import io.floe.spi.events.EventBackend;
import io.floe.spi.plugin.Plugins;
import java.util.List;
import java.util.function.Function;

/** The event and authorizer backends this server has (on the class path or as plugins), by name. */
final class Backends {
  private Backends() {}

  static EventBackend event(String name) {
    return named(EventBackend.class, EventBackend::name, name, "events");
  }

  static AuthorizerBackend authorizer(String name) {
    return named(AuthorizerBackend.class, AuthorizerBackend::name, name, "authorization");
  }

  private static <T> T named(Class<T> service, Function<T, String> nameOf, String name, String what) {
    List<T> found = Plugins.load(service);
    return found.stream().filter(backend -> nameOf.apply(backend).equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            what + ": this server has no " + name + " backend (it has " + found.stream().map(nameOf).toList() + ")"));
  }
}
