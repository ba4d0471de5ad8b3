package io.floe.storage.adls;

import com.azure.storage.file.datalake.DataLakeDirectoryClient;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import com.azure.storage.file.datalake.models.UserDelegationKey;
import com.azure.storage.file.datalake.sas.DataLakeServiceSasSignatureValues;
import com.azure.storage.file.datalake.sas.FileSystemSasPermission;
import com.azure.storage.file.datalake.sas.PathSasPermission;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.VendedCredentials;
import io.floe.storage.adls.AdlsStorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.azure.AzureProperties;

/**
 * Vends ADLS SAS tokens, signed with the account key, or for an Entra ID identity with a
 * user-delegation key that Azure issues to it. On an account with a hierarchical namespace
 * the token is a directory SAS ({@code sr=d}) for the table's directory and everything below it;
 * on a flat account only a filesystem SAS ({@code sr=c}) exists, which covers the warehouse's
 * filesystem. Readers get read and list; writers add write, create, add and delete.
 */
public final class AdlsCredentialVendor implements CredentialVendor {
  static final String REFRESH_ENDPOINT = AzureProperties.ADLS_REFRESH_CREDENTIALS_ENDPOINT;

  private final Clock clock;

  public AdlsCredentialVendor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String type() {
    return AdlsStorageProfile.TYPE;
  }

  @Override
  public boolean enabled(StorageProfile profile) {
    return ((AdlsStorageProfile) profile).sasEnabled();
  }

  @Override
  public VendedCredentials vend(
      StorageProfile profile,
      Optional<Secret> credential,
      List<String> locations,
      AccessLevel access,
      Duration lifetime) {
    AdlsStorageProfile adls = (AdlsStorageProfile) profile;
    AdlsLocation location = AdlsLocation.parse(locations.get(0));
    if (!location.filesystem().equals(adls.filesystem()) || !location.accountHost().equals(adls.accountHost())) {
      throw new BadRequestException(
          "Cannot vend credentials for %s: not in the warehouse's filesystem %s", locations.get(0), adls.root());
    }
    // one token reaches one directory: data or metadata paths outside the table's are not covered
    Instant expiresAt = Instant.now(clock).plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    String token =
        switch (AdlsAuth.of(adls, credential)) {
          case AdlsAuth.SharedKey key -> sas(adls, service(adls).credential(key.credential()), location, access, expiresAt, null);
          case AdlsAuth.Identity identity -> {
            DataLakeServiceClientBuilder service = service(adls).credential(identity.credential());
            yield sas(adls, service, location, access, expiresAt, delegationKey(service.buildClient(), expiresAt));
          }
        };
    Map<String, String> config = new LinkedHashMap<>();
    config.put(AzureProperties.ADLS_SAS_TOKEN_PREFIX + adls.accountHost(), token);
    config.put(AzureProperties.ADLS_SAS_TOKEN_EXPIRES_AT_MS_PREFIX + adls.accountHost(), Long.toString(expiresAt.toEpochMilli()));
    if (adls.endpoint() != null) {
      config.put(AzureProperties.ADLS_CONNECTION_STRING_PREFIX + adls.accountHost(), adls.endpoint());
    }
    // PyIceberg's names
    config.put("adls.account-name", adls.accountName());
    config.put("adls.sas-token", token);
    return new VendedCredentials(locations.get(0), config, expiresAt, REFRESH_ENDPOINT);
  }

  private static DataLakeServiceClientBuilder service(AdlsStorageProfile profile) {
    return new DataLakeServiceClientBuilder().endpoint(profile.serviceEndpoint().toString());
  }

  /** A user-delegation key valid until the SAS expires: Azure signs it for the identity. */
  private UserDelegationKey delegationKey(DataLakeServiceClient service, Instant expiresAt) {
    try {
      return service.getUserDelegationKey(
          OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC),
          OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
    } catch (RuntimeException e) {
      throw new UnavailableException(e, "Cannot vend credentials: no user-delegation key from Azure: %s", e.getMessage());
    }
  }

  /**
   * The SAS query string for a table's directory (or, on a flat account, its filesystem), signed
   * with the account key when {@code delegationKey} is null, else with the user-delegation key.
   */
  static String sas(
      AdlsStorageProfile profile,
      DataLakeServiceClientBuilder service,
      AdlsLocation location,
      AccessLevel access,
      Instant expiresAt,
      UserDelegationKey delegationKey) {
    OffsetDateTime expiry = OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC);
    DataLakeFileSystemClient filesystem = service.buildClient().getFileSystemClient(profile.filesystem());
    DataLakeServiceSasSignatureValues values;
    if (!profile.hierarchicalNamespace() || location.path().isEmpty()) {
      FileSystemSasPermission permission =
          new FileSystemSasPermission().setReadPermission(true).setListPermission(true);
      if (access.canWrite()) {
        permission.setWritePermission(true).setCreatePermission(true).setAddPermission(true).setDeletePermission(true);
      }
      values = new DataLakeServiceSasSignatureValues(expiry, permission);
      return delegationKey == null
          ? filesystem.generateSas(values)
          : filesystem.generateUserDelegationSas(values, delegationKey);
    }
    PathSasPermission permission = new PathSasPermission().setReadPermission(true).setListPermission(true);
    if (access.canWrite()) {
      permission.setWritePermission(true).setCreatePermission(true).setAddPermission(true).setDeletePermission(true);
    }
    values = new DataLakeServiceSasSignatureValues(expiry, permission);
    DataLakeDirectoryClient directory = filesystem.getDirectoryClient(location.path());
    return delegationKey == null
        ? directory.generateSas(values)
        : directory.generateUserDelegationSas(values, delegationKey);
  }
}
