package io.floe.spi.authz;

import java.util.Map;

/**
 * An authorizer that a module adds (OpenFGA), found with {@link io.floe.spi.plugin.Plugins} and
 * chosen by {@code FLOE_AUTHZ_BACKEND}.
 */
public interface AuthorizerBackend {
  /** The backend's name, e.g. {@code openfga}. */
  String name();

  /**
   * Connects and readies the backend's model. The settings are its configuration variables,
   * checked and with their defaults, as the server read them; those unset are absent.
   */
  Authorizer start(Map<String, String> settings);

  /** Brings the backend's model to this version's ({@code floe authz migrate}); says what it did. */
  String migrate(Map<String, String> settings) throws Exception;
}
