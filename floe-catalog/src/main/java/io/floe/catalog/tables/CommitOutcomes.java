package io.floe.catalog.tables;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.ConflictException;
import io.floe.spi.error.ForbiddenException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.error.UnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * Counts what became of table commits: {@code floe.commits} by outcome (applied; conflict, a 409
 * the client retries; refused, another 409, an approver's veto mostly; rejected, a client's
 * mistake; unavailable, the database or storage did not answer; unknown, the database's answer
 * was lost and not found; failed, anything else) and {@code floe.commit.retries}, replays on a new base after a lost
 * compare-and-swap. An unknown outcome is the one to alert on.
 */
final class CommitOutcomes {
  private final Counter applied;
  private final Counter conflict;
  private final Counter refused;
  private final Counter unknown;
  private final Counter rejected;
  private final Counter unavailable;
  private final Counter failed;
  private final Counter retries;

  CommitOutcomes(MeterRegistry metrics) {
    this.applied = outcome(metrics, "applied");
    this.conflict = outcome(metrics, "conflict");
    this.refused = outcome(metrics, "refused");
    this.unknown = outcome(metrics, "unknown");
    this.rejected = outcome(metrics, "rejected");
    this.unavailable = outcome(metrics, "unavailable");
    this.failed = outcome(metrics, "failed");
    this.retries =
        Counter.builder("floe.commit.retries")
            .description("table commits replayed on a new base after their compare-and-swap lost")
            .register(metrics);
  }

  private static Counter outcome(MeterRegistry metrics, String outcome) {
    return Counter.builder("floe.commits")
        .description("table commit requests (one per transaction), by outcome")
        .tag("outcome", outcome)
        .register(metrics);
  }

  void applied() {
    applied.increment();
  }

  void retried() {
    retries.increment();
  }

  void failed(RuntimeException error) {
    switch (error) {
      case CommitStateUnknownException e -> unknown.increment();
      case CommitConflictException e -> conflict.increment();
      case CommitFailedException e -> conflict.increment();
      case ConflictException e -> refused.increment();
      case BadRequestException e -> rejected.increment();
      case ValidationException e -> rejected.increment();
      case IllegalArgumentException e -> rejected.increment();
      case NotFoundException e -> rejected.increment();
      case ForbiddenException e -> rejected.increment();
      case UnavailableException e -> unavailable.increment();
      default -> failed.increment();
    }
  }
}
