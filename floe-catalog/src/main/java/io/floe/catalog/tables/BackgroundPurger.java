package io.floe.catalog.tables;

import io.floe.spi.store.TableEntry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges dropped tables on virtual threads so that a drop returns at once. A purge that is cut
 * short by a shutdown leaves orphaned files, never a broken catalog entry.
 */
public final class BackgroundPurger implements TablePurger, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundPurger.class);
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @Override
  public void purge(FileIO io, TableEntry dropped) {
    executor.execute(
        () -> {
          try {
            CatalogUtil.dropTableData(io, dropped.metadata());
            LOG.info("purged table={} id={}", dropped.identifier(), dropped.id());
          } catch (RuntimeException e) {
            LOG.warn("Cannot purge table {} ({}): {}", dropped.identifier(), dropped.id(), e.toString());
          }
        });
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(30, TimeUnit.SECONDS);
  }
}
