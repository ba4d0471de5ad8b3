package io.floe.spi.store;

import java.time.Duration;

/**
 * How a namespace is dropped.
 *
 * @param recursive whether what it holds (namespaces, tables, views) is dropped with it; without,
 *     it must be empty
 * @param purge whether the files of the tables it holds are deleted
 * @param force whether protected objects are dropped all the same
 * @param keepFor the soft drop of the tables and views it holds, as in {@link TabularDrop}
 */
public record NamespaceDrop(boolean recursive, boolean purge, boolean force, Duration keepFor) {
  public static final NamespaceDrop EMPTY_ONLY = new NamespaceDrop(false, false, false, null);
}
