package io.floe.spi.tasks;

import static java.util.Objects.requireNonNull;

import io.floe.spi.tenancy.WarehouseId;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * A unit of background work kept in the database: it survives restarts, runs once at a time on
 * one of the servers, is retried with backoff, and ends succeeded, failed (after its last attempt:
 * the dead letter) or cancelled.
 *
 * @param warehouse the warehouse it works on, or null for server-wide work
 * @param payload what the task needs, as JSON
 */
public record Task(
    UUID id,
    String kind,
    WarehouseId warehouse,
    String payload,
    State state,
    int attempts,
    int maxAttempts,
    Instant dueAt,
    String lastError,
    Instant createdAt,
    Instant updatedAt) {
  public Task {
    requireNonNull(id, "id is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(payload, "payload is null");
    requireNonNull(state, "state is null");
    requireNonNull(dueAt, "dueAt is null");
  }

  /** Where a task is in its life. */
  public enum State {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State parse(String text) {
      for (State state : values()) {
        if (state.text().equals(text)) {
          return state;
        }
      }
      throw new io.floe.spi.error.BadRequestException(
          "Unknown task state %s (expected pending, running, succeeded, failed or cancelled)", text);
    }
  }
}
