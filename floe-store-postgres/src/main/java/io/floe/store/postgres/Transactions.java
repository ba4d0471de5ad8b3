package io.floe.store.postgres;

import io.floe.spi.error.FloeException;
import io.floe.spi.store.ReadMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The one way the catalog's aggregates reach the database: reads on the pool their read mode
 * allows, and changes as units of work, each one transaction that every {@link
 * MutationParticipant} joins before it commits (see {@link Jdbc} for what a lost commit answer
 * becomes).
 */
final class Transactions {
  private final DataSource writer;
  private final DataSource reader;
  private final Duration resolveDeadline;
  private final List<MutationParticipant> participants;
  private final java.util.concurrent.atomic.AtomicLong listingEpoch;

  /** Units of work that never change what listings show (tasks, events, roles). */
  Transactions(Database database, List<MutationParticipant> participants) {
    this(database, participants, new java.util.concurrent.atomic.AtomicLong());
  }

  /**
   * @param listingEpoch moved after every change, committed or not (see {@link Listings})
   */
  Transactions(Database database, List<MutationParticipant> participants, java.util.concurrent.atomic.AtomicLong listingEpoch) {
    this.listingEpoch = listingEpoch;
    this.writer = database.writer();
    this.reader = database.reader();
    this.resolveDeadline = database.commitResolveDeadline();
    this.participants = List.copyOf(participants);
  }

  /** Runs a change to the catalog as one unit of work. */
  <T> T mutation(Jdbc.Work<T> work) {
    try {
      return Jdbc.transaction(writer, resolveDeadline, participants, work);
    } finally {
      // before the change is answered: this server's next listing reads it (or its absence)
      listingEpoch.incrementAndGet();
    }
  }

  /** Reads from the pool that {@code mode} allows. */
  <T> T read(ReadMode mode, Jdbc.Work<T> work) {
    return Jdbc.read(mode == ReadMode.PRIMARY ? writer : reader, work);
  }

  /** Reads what may lag behind the primary (a replica, when there is one). */
  <T> T read(Jdbc.Work<T> work) {
    return Jdbc.read(reader, work);
  }

  /** Reads from the primary. */
  <T> T readPrimary(Jdbc.Work<T> work) {
    return Jdbc.read(writer, work);
  }

  /**
   * Runs one statement as a change. When it touches no row, {@code noRow} (if given) says why; a
   * SQL state listed in {@code states} becomes that Floe error.
   */
  void execute(
      String sql,
      Supplier<? extends FloeException> noRow,
      Map<String, Supplier<? extends FloeException>> states,
      Object... args) {
    mutation(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            Sql.bind(c, s, args);
            if (s.executeUpdate() == 0 && noRow != null) {
              throw noRow.get();
            }
          } catch (SQLException e) {
            Supplier<? extends FloeException> mapped = states.get(e.getSQLState());
            if (mapped != null) {
              throw mapped.get();
            }
            throw e;
          }
          return null;
        });
  }
}
