package io.floe.spi.idempotency;

import java.time.Duration;
import java.util.UUID;

/**
 * Remembers the final response of each mutation sent with an {@code Idempotency-Key}, so that a
 * retried request gets the first answer instead of running again. Implementations are
 * thread-safe and shared by every server of a deployment.
 *
 * <p>A claim carries a token. A store whose catalog shares its database marks the claim applied
 * in the transaction of the change itself, fenced by the token ({@link IdempotencyFence}): so a
 * change is never applied twice for one key, and a claim whose server died is resolved from what
 * the database holds, not left to block retries until the key expires.
 */
public interface IdempotencyStore {
  /**
   * Claims a key for a request.
   *
   * @param key the client's key
   * @param request what the key is used for (method, path and a digest of the body); a key names
   *     one request only
   * @param lifetime how long a key is remembered; an older claim is forgotten and may be reused
   * @param staleAfter how long a claim may go unfinished before a retry may take it over
   * @return what to do with the request
   * @throws io.floe.spi.error.UnavailableException if the store is unreachable
   */
  Claim claim(UUID key, String request, Duration lifetime, Duration staleAfter);

  /**
   * Records the final response of a claimed request, unless the claim was taken over.
   *
   * @param body the response to send again, or null to rebuild it from the current state
   * @throws io.floe.spi.error.UnavailableException if the store is unreachable
   */
  void complete(UUID key, UUID token, int status, String body);

  /**
   * Forgets a claim whose request ended without a final response (a 5xx), so that a retry runs
   * again; a claim whose change was applied is kept, so that a retry is answered instead.
   */
  void release(UUID key, UUID token);
}
