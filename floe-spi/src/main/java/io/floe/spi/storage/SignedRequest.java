package io.floe.spi.storage;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** A signed storage request: the headers the client sends in place of its own. */
public record SignedRequest(URI uri, Map<String, List<String>> headers) {
  public SignedRequest {
    requireNonNull(uri, "uri is null");
    headers = Map.copyOf(requireNonNull(headers, "headers is null"));
  }
}
