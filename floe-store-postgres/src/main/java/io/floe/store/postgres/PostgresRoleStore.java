package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.authz.Role;
import io.floe.spi.authz.RoleStore;
import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.tenancy.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link RoleStore} on PostgreSQL. */
public final class PostgresRoleStore implements RoleStore {
  private static final String COLUMNS = "select id, project_id, name from role ";
  private final Transactions tx;

  public PostgresRoleStore(Database database) {
    this.tx = new Transactions(requireNonNull(database, "database is null"), List.of());
  }

  @Override
  public void create(Role role) {
    tx.execute(
        "insert into role (id, project_id, name) values (?, ?, ?)",
        null,
        Map.of(
            Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Role already exists: %s", role.name()),
            Jdbc.FOREIGN_KEY_VIOLATION,
                () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", role.project())),
        role.id(),
        role.project().value(),
        role.name());
  }

  @Override
  public Optional<Role> role(UUID id) {
    return tx.readPrimary(c -> Sql.queryOne(c, COLUMNS + "where id = ?", PostgresRoleStore::role, id));
  }

  @Override
  public List<Role> list(ProjectId project) {
    return tx.read(c -> Sql.queryList(c, COLUMNS + "where project_id = ? order by name", PostgresRoleStore::role, project.value()));
  }

  @Override
  public void rename(UUID id, String name) {
    tx.execute(
        "update role set name = ?, updated_at = now() where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.OBJECT, "Role does not exist: %s", id),
        Map.of(Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Role already exists: %s", name)),
        name,
        id);
  }

  @Override
  public void delete(UUID id) {
    tx.execute(
        "delete from role where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.OBJECT, "Role does not exist: %s", id),
        Map.of(),
        id);
  }

  private static Role role(ResultSet rs) throws SQLException {
    return new Role(rs.getObject(1, UUID.class), new ProjectId(rs.getObject(2, UUID.class)), rs.getString(3));
  }
}
