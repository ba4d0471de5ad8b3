package io.floe.spi.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NonBlockingTest {
  @Test
  void anAttemptThatCompletesAppliesItsEffectsAfterwards() {
    List<String> applied = new ArrayList<>();
    String result =
        NonBlocking.attempt(
            () -> {
              NonBlocking.afterAttempt(() -> applied.add("effect"));
              assertThat(applied).isEmpty();
              return "done";
            });
    assertThat(result).isEqualTo("done");
    assertThat(applied).containsExactly("effect");
    assertThat(NonBlocking.attempting()).isFalse();
  }

  @Test
  void anAttemptThatWouldBlockAppliesNothingAndEndsTheAttempt() {
    List<String> applied = new ArrayList<>();
    assertThatThrownBy(
            () ->
                NonBlocking.attempt(
                    () -> {
                      NonBlocking.afterAttempt(() -> applied.add("effect"));
                      NonBlocking.checkCanBlock();
                      return "unreachable";
                    }))
        .isInstanceOf(NonBlocking.WouldBlock.class);
    assertThat(applied).isEmpty();
    assertThat(NonBlocking.attempting()).isFalse();
    NonBlocking.checkCanBlock(); // outside an attempt, waiting is allowed
  }

  @Test
  void anAttemptThatFailsOnItsOwnAppliesItsEffects() {
    List<String> applied = new ArrayList<>();
    assertThatThrownBy(
            () ->
                NonBlocking.attempt(
                    () -> {
                      NonBlocking.afterAttempt(() -> applied.add("effect"));
                      throw new IllegalStateException("the work's own failure");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(applied).containsExactly("effect");
  }

  @Test
  void aNestedAttemptIsPartOfTheEnclosingOne() {
    List<String> applied = new ArrayList<>();
    assertThatThrownBy(
            () ->
                NonBlocking.attempt(
                    () -> {
                      NonBlocking.attempt(
                          () -> {
                            NonBlocking.afterAttempt(() -> applied.add("inner"));
                            return null;
                          });
                      assertThat(applied).isEmpty();
                      NonBlocking.checkCanBlock();
                      return null;
                    }))
        .isInstanceOf(NonBlocking.WouldBlock.class);
    assertThat(applied).isEmpty();
  }

  @Test
  void aCachedValueIsServedInAnAttemptAndAMissingOneIsNotLoadedThere() {
    Cache<String, String> cache = Caffeine.newBuilder().recordStats(AttemptStats::new).build();
    List<String> loaded = new ArrayList<>();
    assertThatThrownBy(
            () ->
                NonBlocking.attempt(
                    () ->
                        NonBlocking.cached(
                            cache,
                            "k",
                            k -> {
                              loaded.add(k);
                              return "v";
                            })))
        .isInstanceOf(NonBlocking.WouldBlock.class);
    assertThat(loaded).isEmpty();
    assertThat(NonBlocking.cached(cache, "k", k -> "v")).isEqualTo("v");
    assertThat(NonBlocking.attempt(() -> NonBlocking.cached(cache, "k", k -> "other"))).isEqualTo("v");
    assertThat(cache.stats().missCount()).isEqualTo(1);
    assertThat(cache.stats().hitCount()).isEqualTo(1);
  }

  @Test
  void cacheStatisticsCountALookupOnceWhetherOrNotItsFirstTryWasAbandoned() {
    Cache<String, String> cache = Caffeine.newBuilder().recordStats(AttemptStats::new).build();
    // a miss, abandoned at the load, then run again where it may wait: one miss
    assertThatThrownBy(
            () ->
                NonBlocking.attempt(
                    () ->
                        cache.get(
                            "k",
                            k -> {
                              NonBlocking.checkCanBlock();
                              return "v";
                            })))
        .isInstanceOf(NonBlocking.WouldBlock.class);
    assertThat(cache.stats().requestCount()).isZero();
    assertThat(cache.policy().getIfPresentQuietly("k")).isNull();
    cache.get("k", k -> "v");
    // a hit, answered in an attempt: one hit
    assertThat(NonBlocking.attempt(() -> cache.getIfPresent("k"))).isEqualTo("v");
    assertThat(cache.stats().missCount()).isEqualTo(1);
    assertThat(cache.stats().hitCount()).isEqualTo(1);
    assertThat(cache.stats().loadSuccessCount()).isEqualTo(1);
    assertThat(cache.stats().loadFailureCount()).isZero();
  }
}
