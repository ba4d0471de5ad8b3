package io.floe.spi.store;

/**
 * Which page of a listing to return.
 *
 * @param token the token of a previous page, or null for the first page
 * @param size the largest number of items to return, or null for all
 */
public record PageRequest(String token, Integer size) {
  public static final PageRequest ALL = new PageRequest(null, null);
  /**
   * The most items one page holds. A larger size asked for is cut to this: the specification
   * lets a server return fewer items than the page size, with a token for the rest.
   */
  public static final int MAX_SIZE = 1000;

  public PageRequest {
    if (size != null) {
      if (size < 1) {
        throw new IllegalArgumentException("page size must be positive: " + size);
      }
      size = Math.min(size, MAX_SIZE);
    }
  }
}
