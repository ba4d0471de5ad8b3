package io.floe.rest.iceberg;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.concurrent.AttemptStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Serialized load-table responses with their ETags, keyed by metadata location and snapshot
 * mode. A metadata location names one immutable version of a table, so an entry never goes
 * stale: a load checks the table's current location and reuses what was built for it. Parsed
 * metadata is not kept here: the store's metadata cache is the one place that holds it.
 */
final class LoadTableResponses {
  /** A response body and its entity tag. */
  record Entry(String etag, byte[] body) {}

  private final Cache<String, Entry> cache;

  LoadTableResponses(long maxBytes, MeterRegistry metrics) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String key, Entry value) -> key.length() + value.body().length + 64)
            .recordStats(AttemptStats::new)
            .build();
    CaffeineCacheMetrics.monitor(metrics, cache, "table-response");
  }

  Entry get(String metadataLocation, boolean refsOnly) {
    return cache.getIfPresent(key(metadataLocation, refsOnly));
  }

  void put(String metadataLocation, boolean refsOnly, Entry entry) {
    cache.put(key(metadataLocation, refsOnly), entry);
  }

  private static String key(String metadataLocation, boolean refsOnly) {
    return (refsOnly ? "refs:" : "all:") + metadataLocation;
  }
}
