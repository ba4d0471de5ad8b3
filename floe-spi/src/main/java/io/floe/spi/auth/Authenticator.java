package io.floe.spi.auth;

import java.util.Map;

/**
 * Decides who makes a request from its bearer token. Implementations verify tokens locally (no
 * round trip per request once keys are cached) and are thread-safe.
 */
public interface Authenticator {
  /**
   * Returns the caller.
   *
   * @param bearerToken the token of the {@code Authorization: Bearer} header, or null when the
   *     request has none
   * @throws io.floe.spi.error.UnauthenticatedException for a missing, malformed, expired or
   *     foreign token; its message says why and never contains the token
   * @throws io.floe.spi.error.UnavailableException if the identity provider cannot be reached
   */
  Principal authenticate(String bearerToken);

  /** Whether requests need a token; when false every caller is {@link Principal#ANONYMOUS}. */
  default boolean required() {
    return true;
  }

  /**
   * Catalog configuration that tells clients where to get tokens (Iceberg's {@code
   * oauth2-server-uri}), empty when the server takes none.
   */
  default Map<String, String> clientConfig() {
    return Map.of();
  }

  /** Authentication off: every caller is anonymous. */
  Authenticator NONE =
      new Authenticator() {
        @Override
        public Principal authenticate(String bearerToken) {
          return Principal.ANONYMOUS;
        }

        @Override
        public boolean required() {
          return false;
        }
      };
}
