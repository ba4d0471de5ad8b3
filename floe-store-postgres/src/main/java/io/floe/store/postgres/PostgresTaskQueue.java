package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.store.ReadMode;
import io.floe.spi.tasks.Task;
import io.floe.spi.tasks.TaskQueue;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link TaskQueue} on PostgreSQL. A lease is one {@code UPDATE} of the most overdue task that no
 * other worker holds ({@code FOR UPDATE SKIP LOCKED}), so workers on several servers never get the
 * same task; every later change of the task is fenced by the lease's token.
 */
public final class PostgresTaskQueue implements TaskQueue {
  private static final String COLUMNS =
      "id, kind, warehouse_id, payload::text, state, attempts, max_attempts, due_at, last_error, created_at, updated_at";
  private final Transactions tx;

  public PostgresTaskQueue(Database database) {
    this.tx = new Transactions(requireNonNull(database, "database is null"), List.of());
  }

  @Override
  public Task enqueue(String kind, WarehouseId warehouse, String payload, Instant dueAt, int maxAttempts) {
    return tx.mutation(c -> insert(c, kind, warehouse, payload, dueAt, maxAttempts));
  }

  /**
   * Adds a task in the caller's transaction: it exists exactly when that transaction commits. A
   * null {@code dueAt} is the database's now, the clock leases are taken by.
   */
  static Task insert(Connection c, String kind, WarehouseId warehouse, String payload, Instant dueAt, int maxAttempts)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into task (id, kind, warehouse_id, payload, state, max_attempts, due_at)"
                + " values (?, ?, ?, ?::jsonb, 'pending', ?, coalesce(?, now())) returning " + COLUMNS)) {
      s.setObject(1, UUID.randomUUID());
      s.setString(2, kind);
      s.setObject(3, warehouse == null ? null : warehouse.value());
      s.setString(4, payload);
      s.setInt(5, maxAttempts);
      s.setTimestamp(6, dueAt == null ? null : Timestamp.from(dueAt));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return task(rs);
      }
    }
  }

  @Override
  public void ensure(UUID id, String kind, String payload, int maxAttempts) {
    tx.mutation(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into task (id, kind, payload, state, max_attempts, due_at) values (?, ?, ?::jsonb, 'pending', ?, now())"
                      + " on conflict (id) do update set state = 'pending', attempts = 0, due_at = now(), updated_at = now()"
                      + " where task.state = 'failed'")) {
            s.setObject(1, id);
            s.setString(2, kind);
            s.setString(3, payload);
            s.setInt(4, maxAttempts);
            s.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean reschedule(Lease lease, Duration after) {
    return update(
        "update task set state = 'pending', attempts = 0, due_at = now() + ? * interval '1 millisecond',"
            + " lease_token = null, lease_until = null, updated_at = now() where id = ? and lease_token = ? and state = 'running'",
        after.toMillis(), lease.task().id(), lease.token());
  }

  @Override
  public Optional<Lease> lease(Set<String> kinds, String worker, Duration length) {
    // idle workers poll often: a plain read first, and a transaction only when a task is due
    boolean due =
        tx.readPrimary(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "select exists (select 1 from task where kind = any(?) and"
                          + " ((state = 'pending' and due_at <= now()) or (state = 'running' and lease_until < now())))")) {
                s.setArray(1, c.createArrayOf("text", kinds.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                  rs.next();
                  return rs.getBoolean(1);
                }
              }
            });
    if (!due) {
      return Optional.empty();
    }
    UUID token = UUID.randomUUID();
    return tx.mutation(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update task set state = 'running', attempts = attempts + 1, lease_owner = ?, lease_token = ?,"
                      + " lease_until = now() + ? * interval '1 millisecond', updated_at = now()"
                      + " where id = (select id from task where kind = any(?) and"
                      + " ((state = 'pending' and due_at <= now()) or (state = 'running' and lease_until < now()))"
                      + " order by coalesce(lease_until, due_at) limit 1 for update skip locked)"
                      + " returning " + COLUMNS + ", lease_until")) {
            s.setString(1, worker);
            s.setObject(2, token);
            s.setLong(3, length.toMillis());
            s.setArray(4, c.createArrayOf("text", kinds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.<Lease>empty();
              }
              return Optional.of(new Lease(task(rs), token, rs.getTimestamp(12).toInstant()));
            }
          }
        });
  }

  @Override
  public boolean renew(Lease lease, Duration length) {
    return update(
        "update task set lease_until = now() + ? * interval '1 millisecond', updated_at = now()"
            + " where id = ? and lease_token = ? and state = 'running'",
        length.toMillis(), lease.task().id(), lease.token());
  }

  @Override
  public boolean succeed(Lease lease) {
    return update(
        "update task set state = 'succeeded', lease_token = null, lease_until = null, updated_at = now()"
            + " where id = ? and lease_token = ? and state = 'running'",
        lease.task().id(), lease.token());
  }

  @Override
  public boolean fail(Lease lease, String error, Duration retryAfter) {
    String message = error == null ? "" : error.length() > 4000 ? error.substring(0, 4000) : error;
    return update(
        "update task set state = case when attempts >= max_attempts then 'failed' else 'pending' end,"
            + " due_at = now() + ? * interval '1 millisecond', last_error = ?, lease_token = null, lease_until = null,"
            + " updated_at = now() where id = ? and lease_token = ? and state = 'running'",
        retryAfter.toMillis(), message, lease.task().id(), lease.token());
  }

  @Override
  public Optional<Task> task(UUID id) {
    return tx.readPrimary(c -> Sql.queryOne(c, "select " + COLUMNS + " from task where id = ?", PostgresTaskQueue::task, id));
  }

  @Override
  public Page<Task> list(WarehouseId warehouse, Task.State state, String kind, PageRequest page) {
    Pages.Key after = page.token() == null ? null : Pages.decodeKey(page.token());
    int size = page.size() == null ? 100 : page.size();
    return tx.read(
        ReadMode.PRIMARY,
        c -> {
          StringBuilder sql = new StringBuilder("select " + COLUMNS + " from task where ");
          List<Object> args = new ArrayList<>();
          if (warehouse == null) {
            sql.append("warehouse_id is null");
          } else {
            sql.append("warehouse_id = ?");
            args.add(warehouse.value());
          }
          if (state != null) {
            sql.append(" and state = ?");
            args.add(state.text());
          }
          if (kind != null) {
            sql.append(" and kind = ?");
            args.add(kind);
          }
          if (after != null) {
            sql.append(" and (created_at, id) < (?, ?)");
            args.add(Timestamp.from(after.at()));
            args.add(after.id());
          }
          sql.append(" order by created_at desc, id desc limit ").append(size + 1);
          List<Task> tasks = Sql.queryList(c, sql.toString(), PostgresTaskQueue::task, args.toArray());
          if (tasks.size() <= size) {
            return new Page<>(tasks, null);
          }
          Task last = tasks.get(size - 1);
          return new Page<>(tasks.subList(0, size), Pages.encodeKey(last.createdAt(), last.id()));
        });
  }

  @Override
  public boolean retry(UUID id) {
    return update(
        "update task set state = 'pending', attempts = 0, due_at = now(), last_error = null, updated_at = now()"
            + " where id = ? and state in ('failed', 'cancelled')",
        id);
  }

  @Override
  public boolean cancel(UUID id) {
    return update(
        "update task set state = 'cancelled', lease_token = null, lease_until = null, updated_at = now()"
            + " where id = ? and state in ('pending', 'running')",
        id);
  }

  private boolean update(String sql, Object... args) {
    return tx.mutation(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            Sql.bind(c, s, args);
            return s.executeUpdate() == 1;
          }
        });
  }

  private static Task task(ResultSet rs) throws SQLException {
    UUID warehouse = rs.getObject(3, UUID.class);
    Timestamp created = rs.getTimestamp(10);
    Timestamp updated = rs.getTimestamp(11);
    return new Task(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        warehouse == null ? null : new WarehouseId(warehouse),
        rs.getString(4),
        Task.State.parse(rs.getString(5)),
        rs.getInt(6),
        rs.getInt(7),
        rs.getTimestamp(8).toInstant(),
        rs.getString(9),
        created == null ? null : created.toInstant(),
        updated == null ? null : updated.toInstant());
  }

}
