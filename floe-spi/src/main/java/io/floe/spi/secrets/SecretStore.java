package io.floe.spi.secrets;

import java.util.Optional;

/**
 * Keeps long-lived credentials, encrypted at rest. Nothing that the store returns is ever sent
 * back through an API; callers hand secrets only to the storage clients that need them.
 * Implementations are thread-safe and shared by every server of a deployment.
 */
public interface SecretStore {
  /**
   * Stores a new secret.
   *
   * @return the id under which it can be read
   * @throws io.floe.spi.error.UnavailableException if the store or its keys are unavailable
   */
  SecretId create(Secret secret);

  /**
   * Reads a secret.
   *
   * @return the secret, or empty if there is none with that id
   * @throws io.floe.spi.error.UnavailableException if it cannot be decrypted with the keys at hand
   */
  Optional<Secret> read(SecretId id);

  /**
   * Replaces a secret's values, keeping its id.
   *
   * @throws io.floe.spi.error.NotFoundException if there is no secret with that id
   */
  void replace(SecretId id, Secret secret);

  /** Deletes a secret; deleting a missing one does nothing. */
  void delete(SecretId id);

  /**
   * Deletes a secret unless a warehouse still refers to it (the write that was to replace it may
   * have failed, or landed without the caller knowing). Returns whether it is gone.
   */
  boolean deleteUnused(SecretId id);
}
