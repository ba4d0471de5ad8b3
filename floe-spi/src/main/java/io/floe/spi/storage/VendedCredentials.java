package io.floe.spi.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

/**
 * Short-lived storage credentials for the files under one location, as the client properties an
 * engine's FileIO reads (for example {@code s3.access-key-id}).
 *
 * @param prefix the location the credentials are scoped to
 * @param config the client properties, credentials and the settings needed to use them
 * @param expiresAt when the storage provider stops accepting them
 * @param refreshEndpointProperty the client property that names the endpoint where clients
 *     refresh these credentials, e.g. {@code client.refresh-credentials-endpoint} for S3FileIO
 */
public record VendedCredentials(
    String prefix, Map<String, String> config, Instant expiresAt, String refreshEndpointProperty) {
  public static final String CLIENT_REFRESH_ENDPOINT = "client.refresh-credentials-endpoint";

  public VendedCredentials {
    requireNonNull(prefix, "prefix is null");
    config = Map.copyOf(requireNonNull(config, "config is null"));
    requireNonNull(expiresAt, "expiresAt is null");
    requireNonNull(refreshEndpointProperty, "refreshEndpointProperty is null");
  }

  public VendedCredentials(String prefix, Map<String, String> config, Instant expiresAt) {
    this(prefix, config, expiresAt, CLIENT_REFRESH_ENDPOINT);
  }

  @Override
  public String toString() {
    // the values are credentials: name the keys only
    return "VendedCredentials[prefix=" + prefix + ", keys=" + new TreeSet<>(config.keySet())
        + ", expiresAt=" + expiresAt + "]";
  }
}
