package io.floe.spi.idempotency;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The idempotency claim a request runs under. A catalog store that shares the idempotency
 * store's database marks the claim applied inside each transaction that changes the catalog for
 * this request, and refuses to commit if the claim was taken over meanwhile.
 */
public record IdempotencyFence(UUID key, UUID token) {
  private static final ThreadLocal<IdempotencyFence> CURRENT = new ThreadLocal<>();

  public IdempotencyFence {
    requireNonNull(key, "key is null");
    requireNonNull(token, "token is null");
  }

  /** Runs {@code work} with this fence as the current request's. */
  public <T> T run(Supplier<T> work) {
    IdempotencyFence previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The fence of the request running on this thread, if it has one. */
  public static Optional<IdempotencyFence> current() {
    return Optional.ofNullable(CURRENT.get());
  }
}
