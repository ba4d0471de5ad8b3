package io.floe.rest.http;

import static java.util.Objects.requireNonNull;

/** A body that a parser has already written as JSON. */
public record RawJson(String json) {
  public RawJson {
    requireNonNull(json, "json is null");
  }
}
