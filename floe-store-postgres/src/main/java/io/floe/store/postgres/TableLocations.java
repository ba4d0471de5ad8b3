package io.floe.store.postgres;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Keeps table locations apart: no table may live at, inside or around another table's location
 * in the same warehouse, since credentials vended for one table cover everything under its
 * location. The check runs inside the commit's transaction, under a per-warehouse advisory lock,
 * so two concurrent creates cannot both claim overlapping locations.
 */
final class TableLocations {
  private static final String OVERLAPPING =
      "select n.name, t.name, t.location"
          + " from tabular t join namespace n on n.id = t.namespace_id"
          + " where t.warehouse_id = ? and t.kind = 'table' and t.id <> ?"
          + " and (rtrim(t.location, '/') = ?"
          + " or starts_with(?, rtrim(t.location, '/') || '/')"
          + " or starts_with(t.location, ? || '/'))"
          + " limit 1";

  private TableLocations() {}

  /**
   * Refuses a table location that overlaps another table's.
   *
   * @throws BadRequestException naming the other table
   */
  static void claim(
      Connection c, WarehouseId warehouse, TabularId self, TableIdentifier identifier, String location)
      throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("select pg_advisory_xact_lock(hashtext('floe-table-location'), hashtext(?))")) {
      lock.setString(1, warehouse.toString());
      lock.executeQuery().close();
    }
    Optional<Overlap> overlapping = find(c, warehouse, self, location);
    if (overlapping.isPresent()) {
      throw new BadRequestException(
          "Cannot use location %s for table %s: it overlaps the location %s of table %s",
          location, identifier, overlapping.get().location(), overlapping.get().table());
    }
  }

  /** Another table whose location overlaps, and that location. */
  record Overlap(TableIdentifier table, String location) {}

  /** The table other than {@code self} whose location overlaps {@code location}, if any. */
  static Optional<Overlap> find(Connection c, WarehouseId warehouse, TabularId self, String location)
      throws SQLException {
    String normalized = strip(location);
    try (PreparedStatement s = c.prepareStatement(OVERLAPPING)) {
      s.setObject(1, warehouse.value());
      s.setObject(2, self.value());
      s.setString(3, normalized);
      s.setString(4, normalized);
      s.setString(5, normalized);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Namespace namespace = Namespace.of((String[]) rs.getArray(1).getArray());
        return Optional.of(new Overlap(TableIdentifier.of(namespace, rs.getString(2)), rs.getString(3)));
      }
    }
  }

  private static String strip(String location) {
    String result = location;
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}
