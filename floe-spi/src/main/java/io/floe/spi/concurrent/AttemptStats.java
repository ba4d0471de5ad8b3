package io.floe.spi.concurrent;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;

/**
 * Caffeine statistics that count a lookup made in an abandoned {@link NonBlocking} attempt not at
 * all (its rerun counts it): every cache that a request may read on the I/O thread records its
 * statistics with this ({@code recordStats(AttemptStats::new)}), so hit rates stay exact.
 */
public final class AttemptStats implements StatsCounter {
  private final ConcurrentStatsCounter counts = new ConcurrentStatsCounter();

  @Override
  public void recordHits(int count) {
    NonBlocking.afterAttempt(() -> counts.recordHits(count));
  }

  @Override
  public void recordMisses(int count) {
    NonBlocking.afterAttempt(() -> counts.recordMisses(count));
  }

  @Override
  public void recordLoadSuccess(long loadTime) {
    NonBlocking.afterAttempt(() -> counts.recordLoadSuccess(loadTime));
  }

  @Override
  public void recordLoadFailure(long loadTime) {
    NonBlocking.afterAttempt(() -> counts.recordLoadFailure(loadTime));
  }

  @Override
  public void recordEviction(int weight, RemovalCause cause) {
    // an eviction happened, whatever becomes of the attempt that caused it
    counts.recordEviction(weight, cause);
  }

  @Override
  public CacheStats snapshot() {
    return counts.snapshot();
  }
}
