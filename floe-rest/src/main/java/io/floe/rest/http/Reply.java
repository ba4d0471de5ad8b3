package io.floe.rest.http;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A response with an explicit status and headers.
 *
 * @param body the object to serialize as JSON, a String sent as is, or null for no body
 */
public record Reply(int status, Object body, Map<String, String> headers) {
  public Reply {
    headers = Map.copyOf(requireNonNull(headers, "headers is null"));
  }

  public static Reply of(int status, Object body) {
    return new Reply(status, body, Map.of());
  }

  public static Reply noContent() {
    return new Reply(204, null, Map.of());
  }
}
