package io.floe.store.postgres;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Keeps table locations apart: no table may live at, inside or around another table's location
 * in the same warehouse, since credentials vended for one table cover everything under its
 * location.
 *
 * <p>Each table row carries a location key: the location in one spelling, ending in '/', in byte
 * order. The tables around a location are found with index probes only: those at or above it by
 * equality on each of its ancestors, those below it by a range scan. Two concurrent claims on
 * overlapping locations cannot both pass: a claim holds a shared advisory lock on each of its
 * ancestors and an exclusive one on its own key, so a claim and one inside it serialise, while
 * claims in disjoint places (siblings) do not wait for each other.
 */
final class TableLocations {
  /** Tables at one of the given keys: the location's ancestors and itself. */
  private static final String AT_OR_ABOVE =
      "select n.name, t.name, t.location from tabular t join namespace n on n.id = t.namespace_id"
          + " where t.warehouse_id = ? and t.kind = 'table' and t.location_key = any (?) and t.id <> ? limit 1";
  /** Tables strictly below a key: keys that start with it, as a range in byte order. */
  private static final String BELOW =
      "select n.name, t.name, t.location from tabular t join namespace n on n.id = t.namespace_id"
          + " where t.warehouse_id = ? and t.kind = 'table' and t.location_key > ? and t.location_key < ?"
          + " and t.id <> ? limit 1";

  private TableLocations() {}

  /** A location's key: no trailing slash but one, one name for the S3 schemes, one spelling of file:. */
  static String key(String location) {
    String result = location;
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    if (result.startsWith("s3a://") || result.startsWith("s3n://")) {
      result = "s3://" + result.substring(6);
    } else if (result.startsWith("file:///")) {
      result = "file:/" + result.substring(8);
    }
    return result + "/";
  }

  /** The keys of a location and of each directory above it, shortest first. */
  static List<String> ancestorsAndSelf(String key) {
    List<String> keys = new ArrayList<>();
    int start = key.indexOf("://");
    start = start < 0 ? 0 : start + 3;
    for (int slash = key.indexOf('/', start); slash >= 0; slash = key.indexOf('/', slash + 1)) {
      if (slash > 0) {
        keys.add(key.substring(0, slash + 1));
      }
    }
    return keys;
  }

  /**
   * Refuses a table location that overlaps another table's.
   *
   * @throws BadRequestException naming the other table
   */
  static void claim(
      Connection c, WarehouseId warehouse, TabularId self, TableIdentifier identifier, String location)
      throws SQLException {
    String key = key(location);
    List<String> keys = ancestorsAndSelf(key);
    try (PreparedStatement shared =
            c.prepareStatement("select pg_advisory_xact_lock_shared(hashtext(?), hashtext(?))");
        PreparedStatement exclusive = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?), hashtext(?))")) {
      String space = "floe-location:" + warehouse;
      for (int i = 0; i < keys.size(); i++) {
        PreparedStatement lock = i == keys.size() - 1 ? exclusive : shared;
        lock.setString(1, space);
        lock.setString(2, keys.get(i));
        lock.executeQuery().close();
      }
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
    String key = key(location);
    try (PreparedStatement s = c.prepareStatement(AT_OR_ABOVE)) {
      s.setObject(1, warehouse.value());
      s.setArray(2, c.createArrayOf("text", ancestorsAndSelf(key).toArray()));
      s.setObject(3, self.value());
      Optional<Overlap> found = first(s);
      if (found.isPresent()) {
        return found;
      }
    }
    try (PreparedStatement s = c.prepareStatement(BELOW)) {
      s.setObject(1, warehouse.value());
      s.setString(2, key);
      // the first string after every key that starts with this one: '/' + 1 is '0'
      s.setString(3, key.substring(0, key.length() - 1) + "0");
      s.setObject(4, self.value());
      return first(s);
    }
  }

  private static Optional<Overlap> first(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      Namespace namespace = Namespace.of((String[]) rs.getArray(1).getArray());
      return Optional.of(new Overlap(TableIdentifier.of(namespace, rs.getString(2)), rs.getString(3)));
    }
  }
}
