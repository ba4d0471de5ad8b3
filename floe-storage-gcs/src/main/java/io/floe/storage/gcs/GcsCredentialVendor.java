package io.floe.storage.gcs;

import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.DownscopedCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.VendedCredentials;
import io.floe.storage.gcs.GcsStorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vends GCS OAuth tokens downscoped with a Credential Access Boundary: Google's token exchange
 * turns the warehouse's own token into one that reaches only the table's prefixes, read-only for
 * readers. A downscoped token lives as long as the token it came from (at most an hour): Google,
 * not the requested lifetime, decides when it expires.
 */
public final class GcsCredentialVendor implements CredentialVendor {
  static final String REFRESH_ENDPOINT = "gcs.oauth2.refresh-credentials-endpoint";

  private final HttpTransportFactory transport; // null: Google's default, made on first use

  public GcsCredentialVendor() {
    this.transport = null;
  }

  /** With the HTTP transport to Google's token endpoints; tests point it at a local one. */
  public GcsCredentialVendor(HttpTransportFactory transport) {
    this.transport = transport;
  }

  /**
   * A server without GCS warehouses never loads Google's libraries: the storage kind is made at
   * start, its transport on the first vend.
   */
  private HttpTransportFactory transport() {
    return transport != null ? transport : DefaultTransport.FACTORY;
  }

  private static final class DefaultTransport {
    static final HttpTransportFactory FACTORY = GcsSecrets.defaultTransport();
  }

  @Override
  public String type() {
    return GcsStorageProfile.TYPE;
  }

  @Override
  public boolean enabled(StorageProfile profile) {
    return ((GcsStorageProfile) profile).downscopingEnabled();
  }

  @Override
  public VendedCredentials vend(
      StorageProfile profile,
      Optional<Secret> credential,
      List<String> locations,
      AccessLevel access,
      Duration lifetime) {
    GcsStorageProfile gcs = (GcsStorageProfile) profile;
    List<GcsLocation> parsed = locations.stream().map(GcsLocation::parse).toList();
    for (GcsLocation location : parsed) {
      if (!location.bucket().equals(gcs.bucket())) {
        throw new BadRequestException(
            "Cannot vend credentials for %s: not in the warehouse's bucket %s", locations, gcs.bucket());
      }
    }
    GoogleCredentials source = GcsSecrets.source(credential, transport());
    DownscopedCredentials downscoped =
        DownscopedCredentials.newBuilder()
            .setSourceCredential(source)
            .setCredentialAccessBoundary(GcsAccessBoundary.of(parsed, access))
            .setHttpTransportFactory(transport())
            .build();
    AccessToken token;
    try {
      token = downscoped.refreshAccessToken();
    } catch (IOException | RuntimeException e) {
      throw new UnavailableException(e, "Cannot vend credentials for %s: token exchange failed: %s", locations.get(0), e.getMessage());
    }
    Instant expiresAt = token.getExpirationTime() == null
        ? Instant.now().plus(Duration.ofHours(1))
        : token.getExpirationTime().toInstant();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("gcs.oauth2.token", token.getTokenValue());
    config.put("gcs.oauth2.token-expires-at", Long.toString(expiresAt.toEpochMilli()));
    if (gcs.projectId() != null) {
      config.put("gcs.project-id", gcs.projectId());
    }
    if (gcs.endpoint() != null) {
      config.put("gcs.service.host", gcs.endpoint());
    }
    return new VendedCredentials(locations.get(0), config, expiresAt, REFRESH_ENDPOINT);
  }
}
