package io.floe.spi.secrets;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** The identity of a stored secret; what other records keep instead of the secret itself. */
public record SecretId(UUID value) {
  public SecretId {
    requireNonNull(value, "value is null");
  }

  public static SecretId random() {
    return new SecretId(UUID.randomUUID());
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
