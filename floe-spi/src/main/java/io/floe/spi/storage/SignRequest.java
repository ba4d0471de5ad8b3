package io.floe.spi.storage;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A storage request that a client asks the catalog to sign, as the Iceberg REST specification's
 * remote signing carries it.
 *
 * @param region the region the client targets, or empty
 * @param body the request body when the client sent one (only for requests whose meaning is in
 *     the body, such as S3 DeleteObjects), or null
 */
public record SignRequest(
    String region, String method, URI uri, Map<String, List<String>> headers, String body) {
  public SignRequest {
    region = region == null ? "" : region;
    requireNonNull(method, "method is null");
    requireNonNull(uri, "uri is null");
    headers = Map.copyOf(requireNonNull(headers, "headers is null"));
  }
}
