package io.floe.spi.store;

/**
 * Which page of a listing to return.
 *
 * @param token the token of a previous page, or null for the first page
 * @param size the largest number of items to return, or null for all
 */
public record PageRequest(String token, Integer size) {
  public static final PageRequest ALL = new PageRequest(null, null);
}
