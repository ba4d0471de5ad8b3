package io.floe.rest.http;

import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.idempotency.Claim;
import io.floe.spi.idempotency.IdempotencyFence;
import io.floe.spi.idempotency.IdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Mutations sent with an {@code Idempotency-Key}: each key's request runs once. */
final class IdempotentCalls {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentCalls.class);
  private static final String REPLAYED = "Idempotent-Replayed";
  /** How long a retry waits for the first request with its key before it is asked to come back. */
  private static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(5);
  /** How long a claim may go unfinished before a retry may take it over (safe: claims are fenced). */
  private static final Duration STALE_CLAIM = Duration.ofSeconds(10);
  /** Outcomes a retry would get again, so they are replayed (the specification's list). */
  private static final Set<Integer> NOT_FINAL_4XX = Set.of(401, 403, 408, 429);

  /** Runs a matched request with its body. */
  @FunctionalInterface
  interface Executor {
    Outcome execute(Router.Match match, Request request, byte[] body, String requestId);
  }

  private final IdempotencyStore idempotency;
  private final Duration idempotencyLifetime;
  private final Executor executor;

  IdempotentCalls(IdempotencyStore idempotency, Duration idempotencyLifetime, Executor executor) {
    this.idempotency = idempotency;
    this.idempotencyLifetime = idempotencyLifetime;
    this.executor = executor;
  }

  /**
   * Runs a mutation once per key: a retry gets the first final response back (rebuilt from the
   * current state where the route says so), a retry while the first still runs is asked to come
   * back later, and a claim stranded by a dead server is resolved from what the database holds.
   */
  Outcome run(String text, Router.Match match, Request request, byte[] body, String requestId)
      throws Exception {
    UUID key;
    try {
      key = UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new HttpStatusException(400, "BadRequestException", "Invalid Idempotency-Key: not a UUID: " + text);
    }
    // the caller is part of the request: another principal's retry with the same key is refused,
    // never answered with the first caller's response
    String fingerprint =
        request.getMethod() + " " + request.getHttpURI().getPath() + " " + sha256(body) + " " + sha256(
            match.principal().id().getBytes(StandardCharsets.UTF_8));
    Replay replay = match.route().replay();
    long deadline = System.nanoTime() + IN_PROGRESS_WAIT.toNanos();
    while (true) {
      Claim claim;
      try {
        claim = idempotency.claim(key, fingerprint, idempotencyLifetime, STALE_CLAIM);
      } catch (CommitStateUnknownException e) {
        // whether the claim landed is unknown, but the request itself certainly did not run
        throw new UnavailableException(e, "Cannot claim the Idempotency-Key: %s", e.getMessage());
      }
      switch (claim) {
        case Claim.Completed completed -> {
          if (completed.body() == null && replay instanceof Replay.Rebuilt rebuilt && completed.status() < 300) {
            return replayed(rebuild(rebuilt, match, request, body, requestId));
          }
          byte[] payload = completed.body() == null ? null : completed.body().getBytes(StandardCharsets.UTF_8);
          return new Outcome(completed.status(), payload, RestHandler.JSON, Map.of(REPLAYED, "true"));
        }
        case Claim.Applied applied -> {
          if (replay instanceof Replay.Rebuilt rebuilt) {
            return replayed(rebuild(rebuilt, match, request, body, requestId));
          }
          // only fenced (rebuilt) routes mark claims applied; anything else is still running
          if (System.nanoTime() > deadline) {
            throw stillRunning();
          }
          Thread.sleep(100);
        }
        case Claim.Mismatch mismatch ->
            throw new HttpStatusException(
                422, "UnprocessableEntityException",
                "Idempotency-Key was already used for another request (another method, path or body)");
        case Claim.InProgress inProgress -> {
          if (System.nanoTime() > deadline) {
            throw stillRunning();
          }
          Thread.sleep(100);
        }
        case Claim.Acquired acquired -> {
          Outcome outcome =
              replay instanceof Replay.Rebuilt
                  ? new IdempotencyFence(key, acquired.token()).run(() -> executor.execute(match, request, body, requestId))
                  : executor.execute(match, request, body, requestId);
          finish(key, acquired.token(), replay, outcome, requestId);
          return outcome;
        }
      }
    }
  }

  /**
   * Records a final outcome, or releases the claim of one that is not. A failure here changes
   * nothing the client is told: what the change did is in the database, and a retry reads it.
   */
  private void finish(UUID key, UUID token, Replay replay, Outcome outcome, String requestId) {
    try {
      if (outcome.status() >= 500 || NOT_FINAL_4XX.contains(outcome.status())) {
        idempotency.release(key, token);
      } else if (replay instanceof Replay.Rebuilt && outcome.status() < 300) {
        idempotency.complete(key, token, outcome.status(), null);
      } else {
        String stored = outcome.payload() == null ? null : new String(outcome.payload(), StandardCharsets.UTF_8);
        idempotency.complete(key, token, outcome.status(), stored);
      }
    } catch (RuntimeException e) {
      LOG.warn("request_id={} cannot record the outcome of Idempotency-Key {}: {}", requestId, key, e.toString());
    }
  }

  private Outcome rebuild(Replay.Rebuilt rebuilt, Router.Match match, Request request, byte[] body, String requestId) {
    Route route = match.route();
    Router.Match asRebuilt =
        new Router.Match(
            new Route(route.method(), route.template(), route.name(), rebuilt.handler(), route.replay()),
            match.rawParameters(),
            match.principal());
    return executor.execute(asRebuilt, request, body, requestId);
  }

  private static Outcome replayed(Outcome outcome) {
    if (outcome.status() >= 300) {
      return outcome;
    }
    Map<String, String> headers = new java.util.HashMap<>(outcome.headers());
    headers.put(REPLAYED, "true");
    return new Outcome(outcome.status(), outcome.payload(), outcome.contentType(), headers);
  }

  private static HttpStatusException stillRunning() {
    // not a failure: the first request may yet succeed; every client reads 503 as "try again"
    return new HttpStatusException(
        503, "ServiceUnavailableException", "A request with this Idempotency-Key is still running; retry later",
        Map.of("Retry-After", "1"));
  }

  private static String sha256(byte[] body) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
