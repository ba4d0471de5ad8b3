package io.floe.store.postgres;

import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.NotEmptyException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.secrets.SecretId;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.StorageProfileParser;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Projects and warehouses: the rows that say who owns which storage. */
final class TenancyRows {
  private final Transactions tx;

  TenancyRows(Transactions tx) {
    this.tx = tx;
  }

  // ---------------------------------------------------------------- projects

  void createProject(Project project) {
    tx.execute(
        "insert into project (id, name) values (?, ?)",
        null,
        Map.of(Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Project already exists: %s", project.name())),
        project.id().value(),
        project.name());
  }

  Optional<Project> project(ProjectId id) {
    return tx.read(c -> Sql.queryOne(c, "select id, name from project where id = ?", this::project, id.value()));
  }

  Optional<Project> projectByName(String name) {
    return tx.read(c -> Sql.queryOne(c, "select id, name from project where name = ?", this::project, name));
  }

  List<Project> listProjects() {
    return tx.read(c -> Sql.queryList(c, "select id, name from project order by name", this::project));
  }

  void renameProject(ProjectId id, String newName) {
    tx.execute(
        "update project set name = ?, updated_at = now() where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", id),
        Map.of(Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Project already exists: %s", newName)),
        newName,
        id.value());
  }

  void dropProject(ProjectId id) {
    tx.execute(
        "delete from project where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", id),
        Map.of(Jdbc.FOREIGN_KEY_VIOLATION, () -> new NotEmptyException("Project is not empty: %s", id)),
        id.value());
  }

  Project project(ResultSet rs) throws SQLException {
    return new Project(new ProjectId(rs.getObject(1, UUID.class)), rs.getString(2));
  }

  // ---------------------------------------------------------------- warehouses

  private static final String WAREHOUSE_COLUMNS =
      "select id, project_id, name, storage_profile::text, extra_locations, credential_id from warehouse ";

  void createWarehouse(Warehouse warehouse) {
    tx.execute(
        "insert into warehouse (id, project_id, name, storage_profile, extra_locations, credential_id)"
            + " values (?, ?, ?, ?::jsonb, ?, ?)",
        null,
        Map.of(
            Jdbc.UNIQUE_VIOLATION,
            () -> new AlreadyExistsException("Warehouse already exists: %s", warehouse.name()),
            Jdbc.FOREIGN_KEY_VIOLATION,
            () -> new NotFoundException(NotFoundException.Kind.PROJECT, "Project does not exist: %s", warehouse.projectId())),
        warehouse.id().value(),
        warehouse.projectId().value(),
        warehouse.name(),
        StorageProfileParser.toJson(warehouse.storage()),
        warehouse.extraLocations().toArray(new String[0]),
        credentialId(warehouse));
  }

  Optional<Warehouse> warehouse(WarehouseId id) {
    return tx.read(c -> Sql.queryOne(c, WAREHOUSE_COLUMNS + "where id = ?", this::warehouse, id.value()));
  }

  Optional<Warehouse> warehouseByName(ProjectId project, String name) {
    return tx.read(c ->
            Sql.queryOne(
                c,
                WAREHOUSE_COLUMNS + "where project_id = ? and name = ?",
                this::warehouse,
                project.value(),
                name));
  }

  List<Warehouse> listWarehouses(ProjectId project) {
    return tx.read(c ->
            Sql.queryList(
                c, WAREHOUSE_COLUMNS + "where project_id = ? order by name", this::warehouse, project.value()));
  }

  void renameWarehouse(WarehouseId id, String newName) {
    tx.execute(
        "update warehouse set name = ?, updated_at = now() where id = ?",
        () -> new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", id),
        Map.of(Jdbc.UNIQUE_VIOLATION, () -> new AlreadyExistsException("Warehouse already exists: %s", newName)),
        newName,
        id.value());
  }

  void updateWarehouseStorage(Warehouse expected, Warehouse updated) {
    tx.mutation(
        c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "update warehouse set storage_profile = ?::jsonb, extra_locations = ?, credential_id = ?,"
                  + " updated_at = now() where id = ? and storage_profile = ?::jsonb"
                  + " and credential_id is not distinct from ?")) {
        s.setString(1, StorageProfileParser.toJson(updated.storage()));
        s.setArray(2, c.createArrayOf("text", updated.extraLocations().toArray(new String[0])));
        s.setObject(3, credentialId(updated));
        s.setObject(4, expected.id().value());
        s.setString(5, StorageProfileParser.toJson(expected.storage()));
        s.setObject(6, credentialId(expected));
        if (s.executeUpdate() == 1) {
          return null;
        }
      }
      if (!Sql.exists(c, "select 1 from warehouse where id = ?", expected.id().value())) {
        throw new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", expected.id());
      }
      throw new CommitConflictException(
          "Cannot change the storage of warehouse %s: it was changed concurrently; read it and retry", expected.name());
    });
  }


  Warehouse warehouse(ResultSet rs) throws SQLException {
    Array extra = rs.getArray(5);
    return new Warehouse(
        new WarehouseId(rs.getObject(1, UUID.class)),
        new ProjectId(rs.getObject(2, UUID.class)),
        rs.getString(3),
        StorageProfileParser.fromJson(rs.getString(4)),
        extra == null ? List.of() : Arrays.asList((String[]) extra.getArray()),
        rs.getObject(6) == null ? null : new SecretId(rs.getObject(6, UUID.class)));
  }

  private static UUID credentialId(Warehouse warehouse) {
    return warehouse.credential().map(SecretId::value).orElse(null);
  }

}
