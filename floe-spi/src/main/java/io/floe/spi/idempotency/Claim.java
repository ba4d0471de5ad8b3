package io.floe.spi.idempotency;

import java.util.UUID;

/** The outcome of {@link IdempotencyStore#claim}. */
public sealed interface Claim {
  /**
   * The key is new, or its earlier claim was stranded and is now this request's: run the
   * request under {@code token}, then complete or release the claim.
   */
  record Acquired(UUID token) implements Claim {}

  /**
   * The request ran before: send this response again. A null body means the response is to be
   * rebuilt from the catalog's current state (so that no credentials are ever stored).
   */
  record Completed(int status, String body) implements Claim {}

  /**
   * The request's change is durable (recorded in the change's own transaction), but its response
   * was never recorded: the server that ran it died, or lost its database, right after.
   */
  record Applied() implements Claim {}

  /** The same request is running right now on some server. */
  record InProgress() implements Claim {}

  /** The key was used for another request (another method, path or body). */
  record Mismatch(String request) implements Claim {}
}
