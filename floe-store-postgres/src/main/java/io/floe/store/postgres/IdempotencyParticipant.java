package io.floe.store.postgres;

import io.floe.spi.error.CommitConflictException;
import io.floe.spi.idempotency.IdempotencyFence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Marks the current request's idempotency claim applied in the change's own transaction, and
 * fails the change if a retry has taken the claim over meanwhile: a key's change is applied at
 * most once, and a retry after a crash learns from the database whether it was.
 */
final class IdempotencyParticipant implements MutationParticipant {
  @Override
  public void beforeCommit(Connection connection) throws SQLException {
    Optional<IdempotencyFence> fence = IdempotencyFence.current();
    if (fence.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "update idempotency_key set applied = true where key = ? and token = ? and status is null")) {
      s.setObject(1, fence.get().key());
      s.setObject(2, fence.get().token());
      if (s.executeUpdate() == 0) {
        throw new CommitConflictException(
            "Not applied: a retry of this request (same Idempotency-Key) has taken it over");
      }
    }
  }
}
