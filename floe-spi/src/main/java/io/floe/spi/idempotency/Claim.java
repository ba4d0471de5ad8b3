package io.floe.spi.idempotency;

/** The outcome of {@link IdempotencyStore#claim}. */
public sealed interface Claim {
  /** The key is new: run the request, then complete or release the claim. */
  record Acquired() implements Claim {}

  /** The request ran before: send this response again. */
  record Completed(int status, String body) implements Claim {}

  /** The same request is running right now on some server. */
  record InProgress() implements Claim {}

  /** The key was used for another request. */
  record Mismatch(String request) implements Claim {}
}
