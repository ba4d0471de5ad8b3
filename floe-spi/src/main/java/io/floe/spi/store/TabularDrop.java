package io.floe.spi.store;

import java.time.Duration;

/**
 * How a table or view is dropped.
 *
 * @param expected the id the name must still belong to (any when null): a name dropped and
 *     created again since the caller looked it up is not dropped by mistake
 * @param purge whether its files are deleted (by a task, once it is dropped for good)
 * @param force whether a protected table or view is dropped all the same
 * @param keepFor null for a hard drop; otherwise a soft drop: the table or view is hidden, listed
 *     as deleted, can be undropped, and is dropped for good (by a task) after this long
 */
public record TabularDrop(TabularId expected, boolean purge, boolean force, Duration keepFor) {
  /** The task that deletes a dropped table's files. */
  public static final String PURGE_TASK = "purge-table";
  /** The task that drops a soft-dropped table or view for good once it expires. */
  public static final String EXPIRE_TASK = "expire-tabular";

  public static TabularDrop hard(TabularId expected, boolean purge) {
    return new TabularDrop(expected, purge, false, null);
  }
}
