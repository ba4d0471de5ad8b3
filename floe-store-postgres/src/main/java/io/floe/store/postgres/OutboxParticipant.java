package io.floe.store.postgres;

import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.ChangeEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes the events of the change running on this thread into the outbox, in the change's own
 * transaction and last, after every row lock the change takes: a change that waited for another
 * one on the same object gets a later {@code seq} than it. Writers hold the outbox lock (shared
 * among them) from before their {@code seq} is drawn until they commit, which is how readers know
 * which numbers may still appear (see {@link PostgresEventOutbox}).
 */
final class OutboxParticipant implements MutationParticipant {
  /** The advisory lock every writer holds while its events may still appear. */
  static final long LOCK = 0x466c6f654f757462L; // "FloeOutb"

  @Override
  public void beforeCommit(Connection connection) throws SQLException {
    write(connection, ChangeEvents.pending());
  }

  static void write(Connection connection, List<ChangeEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    // one statement: the shared lock is taken (in the CTE, read before any row is formed) before
    // the row's seq is drawn, and held until the transaction ends
    try (PreparedStatement s =
        connection.prepareStatement(
            "with held as (select pg_advisory_xact_lock_shared(" + LOCK + "))"
                + " insert into event_outbox (id, type, warehouse_id, object_id, event)"
                + " select e.id, e.type, e.warehouse_id, e.object_id, e.event::json from held,"
                + " (values (?::uuid, ?, ?::uuid, ?::uuid, ?)) e (id, type, warehouse_id, object_id, event)")) {
      for (ChangeEvent event : events) {
        s.setObject(1, event.id());
        s.setString(2, event.type());
        s.setObject(3, event.warehouse() == null ? null : event.warehouse().value());
        s.setObject(4, event.object());
        s.setString(5, event.json());
        s.addBatch();
      }
      s.executeBatch();
    }
  }
}
