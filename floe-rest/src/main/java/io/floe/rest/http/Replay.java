package io.floe.rest.http;

import static java.util.Objects.requireNonNull;

/** How a route answers a retry that carries the Idempotency-Key of a request that succeeded. */
public sealed interface Replay {
  /** The first response is stored and sent again as it was: for responses that hold no secret. */
  Replay STORED = new Stored();
  /** Not a change to the catalog (signing a storage request, say): the key is ignored. */
  Replay IGNORED = new Ignored();
  /** The change marks its key in its own transaction; a success is answered with 204 again. */
  Replay NO_CONTENT = new Rebuilt(call -> null);

  /**
   * The change marks its key in its own transaction, and a success is answered by rebuilding the
   * response from the catalog's current state with {@code handler} (the specification allows a
   * newer state): no credentials are stored, and retries get fresh ones.
   */
  static Replay rebuilt(Handler handler) {
    return new Rebuilt(handler);
  }

  record Stored() implements Replay {}

  record Ignored() implements Replay {}

  record Rebuilt(Handler handler) implements Replay {
    public Rebuilt {
      requireNonNull(handler, "handler is null");
    }
  }
}
