package io.floe.spi.authz;

import io.floe.spi.store.TabularId;

/** Where tables' data policies are kept; a table's policy goes with the table. */
public interface DataPolicyStore {
  /** The table's policy ({@link DataPolicy#NONE} when it has none). */
  DataPolicy get(TabularId table);

  /**
   * Replaces the table's policy.
   *
   * @throws io.floe.spi.error.NotFoundException if the table no longer exists
   */
  void put(TabularId table, DataPolicy policy);
}
