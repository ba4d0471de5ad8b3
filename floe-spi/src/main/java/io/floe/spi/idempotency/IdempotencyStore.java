package io.floe.spi.idempotency;

import java.time.Duration;
import java.util.UUID;

/**
 * Remembers the final response of each mutation sent with an {@code Idempotency-Key}, so that a
 * retried request gets the first answer instead of running again. Implementations are
 * thread-safe and shared by every server of a deployment.
 */
public interface IdempotencyStore {
  /**
   * Claims a key for a request.
   *
   * @param key the client's key
   * @param request what the key is used for (method and path); a key names one request only
   * @param lifetime how long a key is remembered; an older claim is forgotten and may be reused
   * @return what to do with the request
   * @throws io.floe.spi.error.UnavailableException if the store is unreachable
   */
  Claim claim(UUID key, String request, Duration lifetime);

  /**
   * Records the final response of a claimed request.
   *
   * @throws io.floe.spi.error.UnavailableException if the store is unreachable
   */
  void complete(UUID key, int status, String body);

  /** Forgets a claim whose request ended without a final response (a 5xx), so a retry runs again. */
  void release(UUID key);
}
