package io.floe.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work that joins every change to the catalog in its own transaction, just before it commits:
 * what it writes is durable exactly when the change is (the idempotency claim today; an outbox
 * event or a task tomorrow). Throwing fails the change, with nothing applied.
 */
@FunctionalInterface
public interface MutationParticipant {
  void beforeCommit(Connection connection) throws SQLException;
}
