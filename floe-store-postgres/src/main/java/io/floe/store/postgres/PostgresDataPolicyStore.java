package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.spi.authz.DataPolicy;
import io.floe.spi.authz.DataPolicyStore;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.TabularId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link DataPolicyStore} on PostgreSQL: one JSON document per table. */
public final class PostgresDataPolicyStore implements DataPolicyStore {
  private static final ObjectMapper JSON = org.apache.iceberg.util.JsonUtil.mapper();
  private final Transactions tx;

  public PostgresDataPolicyStore(Database database) {
    this.tx = new Transactions(requireNonNull(database, "database is null"), List.of());
  }

  @Override
  public DataPolicy get(TabularId table) {
    return tx.read(c -> Sql.queryOne(c, "select policy::text from data_policy where tabular_id = ?",
            (ResultSet rs) -> parse(rs.getString(1)), table.value()))
        .orElse(DataPolicy.NONE);
  }

  @Override
  public void put(TabularId table, DataPolicy policy) {
    tx.execute(
        "insert into data_policy (tabular_id, policy) values (?, ?::jsonb)"
            + " on conflict (tabular_id) do update set policy = excluded.policy, updated_at = now()",
        null,
        Map.of(Jdbc.FOREIGN_KEY_VIOLATION, () -> new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", table)),
        table.value(),
        render(policy));
  }

  private static String render(DataPolicy policy) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode filters = root.putArray("row-filters");
    for (DataPolicy.RowFilter filter : policy.rowFilters()) {
      filters.addObject().put("principal", filter.principal()).put("expression", filter.expression());
    }
    ArrayNode masks = root.putArray("column-masks");
    for (DataPolicy.ColumnMask mask : policy.columnMasks()) {
      masks.addObject().put("principal", mask.principal()).put("column", mask.column()).put("expression", mask.expression());
    }
    return root.toString();
  }

  private static DataPolicy parse(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      List<DataPolicy.RowFilter> filters = new ArrayList<>();
      for (JsonNode filter : root.path("row-filters")) {
        filters.add(new DataPolicy.RowFilter(filter.get("principal").asText(), filter.get("expression").asText()));
      }
      List<DataPolicy.ColumnMask> masks = new ArrayList<>();
      for (JsonNode mask : root.path("column-masks")) {
        masks.add(new DataPolicy.ColumnMask(
            mask.get("principal").asText(), mask.get("column").asText(), mask.get("expression").asText()));
      }
      return new DataPolicy(filters, masks);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
