package io.floe.spi.concurrent;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Lets work be tried on a thread that must not wait (the HTTP server's I/O thread), and abandoned
 * the moment it would: a request answered from memory then costs no hand-off to another thread,
 * and one that needs the database is handed off and run again from the start. Whatever would wait
 * (a database connection, a call to another service) calls {@link #checkCanBlock} first. Work
 * that is tried this way must change nothing before that point; what it would record (cache
 * statistics) is recorded through {@link #afterAttempt}, so that an abandoned try records nothing
 * and its rerun records once.
 */
public final class NonBlocking {
  private static final ThreadLocal<List<Runnable>> ATTEMPT = new ThreadLocal<>();
  private static final WouldBlock WOULD_BLOCK = new WouldBlock();

  private NonBlocking() {}

  /**
   * Thrown where an attempt would have to wait. An {@link Error}, so that no handler of the work's
   * own exceptions on the way takes it for a failure of the work; without a stack trace, as it is
   * control flow.
   */
  public static final class WouldBlock extends Error {
    private WouldBlock() {
      super("the work would have to wait", null, false, false);
    }
  }

  /**
   * Runs {@code work} as an attempt on this thread. Its deferred effects run if it completes
   * (normally or with an exception of its own) and are dropped if it would block.
   *
   * @throws WouldBlock if the work reached something that waits; run it again elsewhere
   */
  public static <T> T attempt(Supplier<T> work) {
    if (ATTEMPT.get() != null) {
      return work.get(); // part of the enclosing attempt
    }
    List<Runnable> effects = new ArrayList<>();
    ATTEMPT.set(effects);
    boolean completed = false;
    try {
      T result = work.get();
      completed = true;
      return result;
    } catch (RuntimeException | Error e) {
      completed = !(e instanceof WouldBlock);
      throw e;
    } finally {
      ATTEMPT.remove();
      if (completed) {
        effects.forEach(Runnable::run);
      }
    }
  }

  /** Whether this thread is running an attempt. */
  public static boolean attempting() {
    return ATTEMPT.get() != null;
  }

  /**
   * Called before anything that may wait.
   *
   * @throws WouldBlock if this thread is running an attempt
   */
  public static void checkCanBlock() {
    if (ATTEMPT.get() != null) {
      throw WOULD_BLOCK;
    }
  }

  /**
   * A cache's value, loaded on a miss. In an attempt, a value not cached yet ends the attempt
   * before the cache is asked: asking would wait for a load that another thread has begun.
   */
  public static <K, V> V cached(Cache<K, V> cache, K key, Function<? super K, ? extends V> loader) {
    if (ATTEMPT.get() != null && cache.policy().getIfPresentQuietly(key) == null) {
      throw WOULD_BLOCK;
    }
    return cache.get(key, loader);
  }

  /** Runs {@code effect} now, or, in an attempt, when the attempt completes (never if abandoned). */
  public static void afterAttempt(Runnable effect) {
    List<Runnable> effects = ATTEMPT.get();
    if (effects == null) {
      effect.run();
    } else {
      effects.add(effect);
    }
  }
}
