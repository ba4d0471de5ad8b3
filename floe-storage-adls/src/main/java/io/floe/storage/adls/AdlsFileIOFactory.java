package io.floe.storage.adls;

import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.tenancy.AdlsStorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.azure.AzureProperties;
import org.apache.iceberg.azure.adlsv2.ADLSFileIO;
import org.apache.iceberg.io.FileIO;

/** Iceberg's own ADLSFileIO, set up from a warehouse's ADLS profile and stored account key. */
public final class AdlsFileIOFactory implements FileIOFactory {
  @Override
  public String type() {
    return AdlsStorageProfile.TYPE;
  }

  @Override
  public FileIO fileIO(StorageProfile profile, Optional<Secret> credential) {
    AdlsStorageProfile adls = (AdlsStorageProfile) profile;
    AdlsSecrets.sharedKey(adls, credential);
    Map<String, String> properties = new HashMap<>();
    properties.put(AzureProperties.ADLS_SHARED_KEY_ACCOUNT_NAME, adls.accountName());
    properties.put(AzureProperties.ADLS_SHARED_KEY_ACCOUNT_KEY, credential.get().value(AdlsSecrets.ACCOUNT_KEY));
    if (adls.endpoint() != null) {
      // despite its name, ADLSFileIO passes this value to the client builder as the endpoint
      properties.put(AzureProperties.ADLS_CONNECTION_STRING_PREFIX + adls.accountHost(), adls.endpoint());
    }
    ADLSFileIO io = new ADLSFileIO();
    io.initialize(properties);
    return io;
  }
}
