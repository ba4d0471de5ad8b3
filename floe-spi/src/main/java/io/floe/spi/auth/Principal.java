package io.floe.spi.auth;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Who makes a request. The id is stable and unique across identity providers ({@code
 * <provider>~<subject>}); grants name principals by it.
 *
 * @param name a display name, when the token carries one
 * @param email the e-mail address, when the token carries one
 * @param roles the provider's roles for the caller, from the configured claim
 */
public record Principal(String id, Kind kind, String name, String email, Set<String> roles) {
  /** The caller when authentication is off. */
  public static final Principal ANONYMOUS = new Principal("anonymous", Kind.ANONYMOUS, "anonymous", null, Set.of());

  /** What kind of caller it is. */
  public enum Kind {
    USER("user"),
    SERVICE_ACCOUNT("service-account"),
    KUBERNETES_SERVICE_ACCOUNT("kubernetes-service-account"),
    ANONYMOUS("anonymous");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    /** The kind as the management API writes it. */
    public String text() {
      return text;
    }
  }

  public Principal {
    requireNonNull(id, "id is null");
    requireNonNull(kind, "kind is null");
    roles = Set.copyOf(roles);
  }
}
