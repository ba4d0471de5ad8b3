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
 * one on the same object gets a later row than it.
 */
final class OutboxParticipant implements MutationParticipant {
  @Override
  public void beforeCommit(Connection connection) throws SQLException {
    List<ChangeEvent> events = ChangeEvents.pending();
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "insert into event_outbox (id, type, warehouse_id, object_id, event) values (?, ?, ?, ?, ?::json)")) {
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
