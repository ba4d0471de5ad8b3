package io.floe.storage.s3;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.VendedCredentials;
import io.floe.storage.s3.S3StorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Vends S3 credentials through STS: AssumeRole on the profile's role, or GetFederationToken when
 * the store has no roles, always with an inline session policy that names only the table's
 * prefixes. STS grants the intersection of that policy and the caller's own permissions.
 */
public final class S3CredentialVendor implements CredentialVendor {
  /** The lifetimes STS accepts for AssumeRole and GetFederationToken. */
  public static final Duration MIN_LIFETIME = Duration.ofMinutes(15);
  public static final Duration MAX_LIFETIME = Duration.ofHours(12);

  private final S3Clients clients;

  /** A vendor with clients of its own. */
  public S3CredentialVendor(Duration connectTimeout, Duration readTimeout) {
    this(new S3Clients(connectTimeout, readTimeout));
  }

  /** A vendor that shares the server's S3 clients. */
  public S3CredentialVendor(S3Clients clients) {
    this.clients = clients;
  }

  @Override
  public String type() {
    return S3StorageProfile.TYPE;
  }

  @Override
  public boolean enabled(StorageProfile profile) {
    return ((S3StorageProfile) profile).stsEnabled();
  }

  @Override
  public VendedCredentials vend(
      StorageProfile profile,
      Optional<Secret> credential,
      List<String> locations,
      AccessLevel access,
      Duration lifetime) {
    S3StorageProfile s3 = (S3StorageProfile) profile;
    if (locations.isEmpty()) {
      throw new IllegalArgumentException("no location to vend credentials for");
    }
    List<S3Location> parsed = locations.stream().map(S3Location::parse).toList();
    for (S3Location location : parsed) {
      if (!location.bucket().equals(s3.bucket())) {
        throw new BadRequestException(
            "Cannot vend credentials for %s: not in the warehouse's bucket %s", locations, s3.bucket());
      }
    }
    String policy = S3SessionPolicy.build(parsed, access, s3.sseKmsKeyArn());
    int seconds = (int) clamp(lifetime).toSeconds();
    String session = "floe-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    Credentials issued;
    try (S3Clients.Lease lease = clients.lease(s3, credential)) {
      StsClient sts = lease.sts();
      if (s3.roleArn() != null) {
        issued =
            sts.assumeRole(
                    request ->
                        request
                            .roleArn(s3.roleArn())
                            .roleSessionName(session)
                            .policy(policy)
                            .durationSeconds(seconds))
                .credentials();
      } else {
        issued =
            sts.getFederationToken(
                    request -> request.name(session).policy(policy).durationSeconds(seconds))
                .credentials();
      }
    } catch (StsException e) {
      throw new UnavailableException(
          e, "Cannot vend credentials for %s: STS refused: %s", locations.get(0),
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw new UnavailableException(e, "Cannot vend credentials for %s: %s", locations.get(0), e.getMessage());
    }
    Instant expiresAt = issued.expiration();
    Map<String, String> config = new LinkedHashMap<>(S3ClientProperties.of(s3));
    config.put("s3.access-key-id", issued.accessKeyId());
    config.put("s3.secret-access-key", issued.secretAccessKey());
    config.put("s3.session-token", issued.sessionToken());
    config.put("s3.session-token-expires-at-ms", Long.toString(expiresAt.toEpochMilli()));
    return new VendedCredentials(locations.get(0), config, expiresAt);
  }

  /** A lifetime STS accepts, or the nearest one. */
  public static Duration clamp(Duration lifetime) {
    if (lifetime.compareTo(MIN_LIFETIME) < 0) {
      return MIN_LIFETIME;
    }
    return lifetime.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : lifetime;
  }

}
