package io.floe.authz.openfga;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach OpenFGA and which store to use.
 *
 * @param endpoint the HTTP API, {@code FLOE_OPENFGA_ENDPOINT}
 * @param store the store's name, {@code FLOE_OPENFGA_STORE}; created with the model when missing
 * @param apiToken a pre-shared key, {@code FLOE_OPENFGA_API_TOKEN}, for an OpenFGA run with
 *     {@code --authn-method preshared}; or null
 * @param clientId with {@code clientSecret}, {@code tokenEndpoint}, {@code audience} and {@code
 *     scopes}: OAuth client credentials for an OpenFGA run with {@code --authn-method oidc}; or null
 * @param cacheLifetime how long a decision is reused, {@code FLOE_AUTHZ_CACHE_SECONDS}: a grant or
 *     revocation made elsewhere takes effect here within it
 */
public record OpenFgaConfig(
    URI endpoint,
    String store,
    String apiToken,
    String clientId,
    String clientSecret,
    String tokenEndpoint,
    String audience,
    String scopes,
    Duration cacheLifetime,
    Duration requestTimeout) {
  public OpenFgaConfig {
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(store, "store is null");
    requireNonNull(cacheLifetime, "cacheLifetime is null");
    requireNonNull(requestTimeout, "requestTimeout is null");
  }

  /**
   * From the server's settings: {@code FLOE_OPENFGA_ENDPOINT}, {@code _STORE}, {@code _API_TOKEN},
   * {@code _CLIENT_ID}, {@code _CLIENT_SECRET}, {@code _TOKEN_ENDPOINT}, {@code _AUDIENCE}, {@code
   * _SCOPES}, and {@code FLOE_AUTHZ_CACHE_SECONDS}.
   */
  public static OpenFgaConfig from(java.util.Map<String, String> settings) {
    return new OpenFgaConfig(
        URI.create(settings.get("FLOE_OPENFGA_ENDPOINT")), settings.getOrDefault("FLOE_OPENFGA_STORE", "floe"),
        settings.get("FLOE_OPENFGA_API_TOKEN"), settings.get("FLOE_OPENFGA_CLIENT_ID"),
        settings.get("FLOE_OPENFGA_CLIENT_SECRET"), settings.get("FLOE_OPENFGA_TOKEN_ENDPOINT"),
        settings.get("FLOE_OPENFGA_AUDIENCE"), settings.get("FLOE_OPENFGA_SCOPES"),
        Duration.ofSeconds(Long.parseLong(settings.getOrDefault("FLOE_AUTHZ_CACHE_SECONDS", "5"))), Duration.ofSeconds(10));
  }

  public static OpenFgaConfig of(URI endpoint, String store) {
    return new OpenFgaConfig(endpoint, store, null, null, null, null, null, null, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** Without the secrets. */
  @Override
  public String toString() {
    return "OpenFgaConfig[" + endpoint + ", store " + store + (apiToken != null ? ", pre-shared key" : "")
        + (clientId != null ? ", client " + clientId : "") + ", cache " + cacheLifetime + "]";
  }
}
