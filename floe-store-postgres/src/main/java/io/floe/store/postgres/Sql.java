package io.floe.store.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import io.floe.spi.tenancy.WarehouseId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.JsonUtil;

/** The small JDBC chores every aggregate shares: queries into rows, arrays, JSON maps. */
final class Sql {
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private Sql() {}

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    List<T> rows = queryList(c, sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  static <T> List<T> queryList(Connection c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(c, s, args);
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    }
  }

  static boolean exists(Connection c, String sql, Object arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Binds arguments in order; a {@code String[]} becomes a {@code text[]}. */
  static void bind(Connection c, PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof String[] array) {
        s.setArray(i + 1, c.createArrayOf("text", array));
      } else {
        s.setObject(i + 1, args[i]);
      }
    }
  }

  /** Binds the warehouse, namespace and name of a tabular as parameters 1 to 3. */
  static void bindName(Connection c, PreparedStatement s, WarehouseId warehouse, TableIdentifier identifier)
      throws SQLException {
    s.setObject(1, warehouse.value());
    s.setArray(2, levels(c, identifier.namespace()));
    s.setString(3, identifier.name());
  }

  static Array levels(Connection c, Namespace namespace) throws SQLException {
    return c.createArrayOf("text", namespace.levels());
  }

  static String json(Map<String, String> map) {
    try {
      return JsonUtil.mapper().writeValueAsString(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> stringMap(String json) {
    try {
      return new HashMap<>(JsonUtil.mapper().readValue(json, STRING_MAP));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
