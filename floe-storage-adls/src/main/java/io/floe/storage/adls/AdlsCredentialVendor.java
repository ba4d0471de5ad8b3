package io.floe.storage.adls;

import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import com.azure.storage.file.datalake.sas.DataLakeServiceSasSignatureValues;
import com.azure.storage.file.datalake.sas.FileSystemSasPermission;
import com.azure.storage.file.datalake.sas.PathSasPermission;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.VendedCredentials;
import io.floe.spi.tenancy.AdlsStorageProfile;
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
 * Vends ADLS SAS tokens signed with the account key. On an account with a hierarchical namespace
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
    String token = sas(adls, AdlsSecrets.sharedKey(adls, credential), location, access, expiresAt);
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

  /** The SAS query string for a table's directory (or, on a flat account, its filesystem). */
  static String sas(
      AdlsStorageProfile profile,
      StorageSharedKeyCredential key,
      AdlsLocation location,
      AccessLevel access,
      Instant expiresAt) {
    OffsetDateTime expiry = OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC);
    DataLakeServiceClient service =
        new DataLakeServiceClientBuilder().endpoint(profile.serviceEndpoint().toString()).credential(key).buildClient();
    DataLakeFileSystemClient filesystem = service.getFileSystemClient(profile.filesystem());
    if (!profile.hierarchicalNamespace() || location.path().isEmpty()) {
      FileSystemSasPermission permission =
          new FileSystemSasPermission().setReadPermission(true).setListPermission(true);
      if (access.canWrite()) {
        permission.setWritePermission(true).setCreatePermission(true).setAddPermission(true).setDeletePermission(true);
      }
      return filesystem.generateSas(new DataLakeServiceSasSignatureValues(expiry, permission));
    }
    PathSasPermission permission = new PathSasPermission().setReadPermission(true).setListPermission(true);
    if (access.canWrite()) {
      permission.setWritePermission(true).setCreatePermission(true).setAddPermission(true).setDeletePermission(true);
    }
    return filesystem
        .getDirectoryClient(location.path())
        .generateSas(new DataLakeServiceSasSignatureValues(expiry, permission));
  }
}
