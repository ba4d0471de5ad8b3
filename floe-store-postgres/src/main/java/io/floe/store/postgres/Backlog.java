package io.floe.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What waits in the database, for the metrics an operator alerts on: tasks by kind and state,
 * and the events each publisher has not yet delivered. One round trip; read every few seconds by
 * a background thread, never by a scrape.
 */
public final class Backlog {
  /** Tasks of one kind in one state. */
  public record Tasks(String kind, String state, long count) {}

  /** Events a publisher has still to deliver (beyond its cursor). */
  public record Events(String publisher, long undelivered) {}

  /** One reading. */
  public record Reading(List<Tasks> tasks, List<Events> events) {}

  private final Database database;

  public Backlog(Database database) {
    this.database = database;
  }

  public Reading read() throws SQLException {
    List<Tasks> tasks = new ArrayList<>();
    List<Events> events = new ArrayList<>();
    try (Connection c = database.reader().getConnection()) {
      try (PreparedStatement s =
              c.prepareStatement(
                  "select kind, state, count(*) from task where state in ('pending', 'running', 'failed') group by kind, state");
          ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          tasks.add(new Tasks(rows.getString(1), rows.getString(2), rows.getLong(3)));
        }
      }
      try (PreparedStatement s =
              c.prepareStatement(
                  "select c.publisher, greatest(0, (select coalesce(max(seq), 0) from event_outbox) - c.position)"
                      + " from event_cursor c");
          ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          events.add(new Events(rows.getString(1), rows.getLong(2)));
        }
      }
    }
    return new Reading(List.copyOf(tasks), List.copyOf(events));
  }
}
