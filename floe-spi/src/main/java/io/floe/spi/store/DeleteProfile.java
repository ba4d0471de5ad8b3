package io.floe.spi.store;

import java.time.Duration;

/**
 * What dropping a table or view does in a warehouse: delete it at once (hard), or hide it for a
 * while, during which it can be undropped (soft).
 *
 * @param keepFor null when hard; how long a soft-dropped table or view is kept
 */
public record DeleteProfile(Duration keepFor) {
  public static final DeleteProfile HARD = new DeleteProfile(null);

  public DeleteProfile {
    if (keepFor != null && (keepFor.isNegative() || keepFor.isZero())) {
      throw new IllegalArgumentException("a soft delete profile keeps dropped objects for a positive time");
    }
  }

  public boolean soft() {
    return keepFor != null;
  }
}
