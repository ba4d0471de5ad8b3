package io.floe.spi.authz;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a table shows to whom, for engines that apply it (Trino through OPA): rows filtered by a SQL
 * expression, columns replaced by a SQL expression. Each rule names a principal's id, a role
 * ({@code role:<id>}, for its assignees) or {@code *} (everyone).
 */
public record DataPolicy(List<RowFilter> rowFilters, List<ColumnMask> columnMasks) {
  public static final DataPolicy NONE = new DataPolicy(List.of(), List.of());
  public static final String EVERYONE = "*";

  public DataPolicy {
    rowFilters = List.copyOf(requireNonNull(rowFilters, "rowFilters is null"));
    columnMasks = List.copyOf(requireNonNull(columnMasks, "columnMasks is null"));
  }

  /** Only rows for which {@code expression} is true are seen by {@code principal}. */
  public record RowFilter(String principal, String expression) {
    public RowFilter {
      requireNonNull(principal, "principal is null");
      requireNonNull(expression, "expression is null");
    }
  }

  /** {@code principal} sees {@code expression} instead of the column's value. */
  public record ColumnMask(String principal, String column, String expression) {
    public ColumnMask {
      requireNonNull(principal, "principal is null");
      requireNonNull(column, "column is null");
      requireNonNull(expression, "expression is null");
    }
  }
}
