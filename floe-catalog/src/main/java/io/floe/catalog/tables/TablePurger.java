package io.floe.catalog.tables;

import io.floe.spi.store.TableEntry;
import org.apache.iceberg.io.FileIO;

/** Deletes the files of a dropped table, now or later. */
public interface TablePurger {
  /**
   * Deletes every file the table's metadata references, and the metadata files themselves.
   * Implementations may return before the files are gone.
   */
  void purge(FileIO io, TableEntry dropped);
}
