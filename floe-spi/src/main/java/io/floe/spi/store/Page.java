package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param nextPageToken an opaque token for the next page, or null when this is the last page
 */
public record Page<T>(List<T> items, String nextPageToken) {
  public Page {
    items = List.copyOf(requireNonNull(items, "items is null"));
  }
}
