package io.floe.catalog.tables;

import io.floe.spi.tenancy.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Striped locks that make commits to the same table on this server wait for each other instead
 * of racing: a lost compare-and-swap costs a metadata file written in vain, so queueing is
 * cheaper under contention. Across servers the compare-and-swap alone keeps commits correct.
 * ReentrantLock, not synchronized, so that waiting virtual threads do not pin their carriers.
 */
final class CommitLocks {
  private static final int STRIPES = 256;
  private final Lock[] stripes = new Lock[STRIPES];

  CommitLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Locks the stripes of every table, in a fixed order so that transactions cannot deadlock. */
  List<Lock> lock(Warehouse warehouse, List<TableIdentifier> identifiers) {
    TreeSet<Integer> indexes = new TreeSet<>();
    for (TableIdentifier identifier : identifiers) {
      int hash = (warehouse.id().hashCode() * 31 + identifier.hashCode()) & 0x7fffffff;
      indexes.add(hash % STRIPES);
    }
    List<Lock> held = new ArrayList<>(indexes.size());
    for (int index : indexes) {
      Lock lock = stripes[index];
      lock.lock();
      held.add(lock);
    }
    return held;
  }
}
