package io.floe.storage.adls;

import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.FileIOFactory;
import io.floe.storage.adls.AdlsStorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.azure.AzureProperties;
import org.apache.iceberg.azure.adlsv2.ADLSFileIO;
import org.apache.iceberg.io.FileIO;

/** Iceberg's own ADLSFileIO, set up from a warehouse's ADLS profile and stored account key or identity. */
public final class AdlsFileIOFactory implements FileIOFactory {
  @Override
  public String type() {
    return AdlsStorageProfile.TYPE;
  }

  @Override
  public FileIO fileIO(StorageProfile profile, Optional<Secret> credential) {
    AdlsStorageProfile adls = (AdlsStorageProfile) profile;
    Map<String, String> properties = new HashMap<>();
    switch (AdlsAuth.of(adls, credential)) {
      case AdlsAuth.SharedKey key -> {
        properties.put(AzureProperties.ADLS_SHARED_KEY_ACCOUNT_NAME, key.accountName());
        properties.put(AzureProperties.ADLS_SHARED_KEY_ACCOUNT_KEY, key.accountKey());
      }
      case AdlsAuth.Identity identity -> {
        properties.put(AzureProperties.ADLS_TOKEN_CREDENTIAL_PROVIDER, EntraTokenCredentialProvider.class.getName());
        identity.values().forEach(
            (name, value) -> properties.put(AzureProperties.ADLS_TOKEN_PROVIDER_PREFIX + name, value));
      }
    }
    if (adls.endpoint() != null) {
      // despite its name, ADLSFileIO passes this value to the client builder as the endpoint
      properties.put(AzureProperties.ADLS_CONNECTION_STRING_PREFIX + adls.accountHost(), adls.endpoint());
    }
    ADLSFileIO io = new ADLSFileIO();
    io.initialize(properties);
    return io;
  }
}
