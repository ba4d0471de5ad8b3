package io.floe.store.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.concurrent.AttemptStats;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import io.floe.spi.tenancy.WarehouseId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Namespace;

/**
 * Pages of namespace, table and view listings kept in memory, so that a list needs no database
 * round trip while nothing it shows has changed. One epoch covers every listing: it moves after
 * each change this server commits (before the change is answered, so a client never lists without
 * its own create or drop) and when the table listener hears of a change from any server (a
 * trigger on the namespace and tabular tables notifies, whatever code path made it). A page is
 * served only if it was read in the current epoch, while the listener is current (see {@link
 * TablePointers}), and for at most the pointers' maximum age.
 */
final class Listings {
  /** What one page stands for. */
  record Key(WarehouseId warehouse, String kind, List<String> parent, String token, Integer size) {
    Key(WarehouseId warehouse, String kind, Namespace parent, PageRequest page) {
      this(warehouse, kind, List.of(parent.levels()), page.token(), page.size());
    }
  }

  private record Entry(Page<?> page, long epoch) {}

  /** Names held, across pages: about 100 bytes each. */
  private static final long MAX_NAMES = 100_000;

  private final AtomicLong epoch;
  private final TablePointers listener;
  private final Cache<Key, Entry> cache;

  Listings(AtomicLong epoch, TablePointers listener, Duration maxAge, MeterRegistry metrics) {
    this.epoch = epoch;
    this.listener = listener;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(MAX_NAMES)
            .weigher((Key key, Entry entry) -> 1 + entry.page().items().size())
            .expireAfterWrite(maxAge)
            .recordStats(AttemptStats::new)
            .build();
    CaffeineCacheMetrics.monitor(metrics, cache, "listing");
  }

  /** The page from the cache when it is current, else read (and kept if nothing changed meanwhile). */
  @SuppressWarnings("unchecked")
  <T> Page<T> get(Key key, Supplier<Page<T>> read) {
    if (!listener.current()) {
      return read.get();
    }
    long before = epoch.get();
    Entry entry = cache.getIfPresent(key);
    if (entry != null && entry.epoch() == before) {
      return (Page<T>) entry.page();
    }
    Page<T> page = read.get();
    if (listener.current() && epoch.get() == before) {
      cache.put(key, new Entry(page, before));
    }
    return page;
  }
}
