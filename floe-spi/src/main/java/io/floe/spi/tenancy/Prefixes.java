package io.floe.spi.tenancy;

import io.floe.spi.error.BadRequestException;
import java.net.URI;

/** The checks that storage profiles share: key prefixes and endpoint URLs. */
public final class Prefixes {
  private Prefixes() {}

  /** A prefix without leading or trailing slashes, and with no empty, "." or ".." segment. */
  public static String normalize(String kind, String prefix) {
    String result = prefix == null ? "" : prefix;
    while (result.startsWith("/")) {
      result = result.substring(1);
    }
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    for (String segment : result.split("/", -1)) {
      if (!result.isEmpty() && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
        throw new BadRequestException("Invalid %s storage profile: bad key-prefix %s", kind, prefix);
      }
    }
    return result;
  }

  /** An http(s) URL without a trailing slash, or null when blank. */
  public static String checkEndpoint(String kind, String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String endpoint = value.trim();
    try {
      URI uri = URI.create(endpoint);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid %s storage profile: %s is not an http(s) URL: %s", kind, field, value);
    }
    while (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    return endpoint;
  }
}
