package io.floe.storage.adls;

import com.fasterxml.jackson.core.JsonGenerator;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.storage.StorageKind;
import io.floe.spi.tenancy.ProfileJson;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Azure Data Lake Storage Gen2: ADLSFileIO for the server, SAS tokens for clients. */
public final class AdlsStorageKind implements StorageKind {
  static final String ACCOUNT_NAME = "account-name";
  static final String FILESYSTEM = "filesystem";
  static final String KEY_PREFIX = "key-prefix";
  static final String HOST = "host";
  static final String ENDPOINT = "endpoint";
  static final String HIERARCHICAL_NAMESPACE = "hierarchical-namespace";
  static final String SAS_ENABLED = "sas-enabled";
  static final String SAS_LIFETIME_SECONDS = "sas-lifetime-seconds";
  private static final Set<String> FIELDS =
      Set.of(ACCOUNT_NAME, FILESYSTEM, KEY_PREFIX, HOST, ENDPOINT, HIERARCHICAL_NAMESPACE, SAS_ENABLED, SAS_LIFETIME_SECONDS);

  private final AdlsFileIOFactory fileIO = new AdlsFileIOFactory();
  private final AdlsCredentialVendor vendor = new AdlsCredentialVendor(Clock.systemUTC());

  @Override
  public String type() {
    return AdlsStorageProfile.TYPE;
  }

  @Override
  public StorageProfile parse(ProfileJson json) {
    json.allow(FIELDS);
    Long lifetime = json.optionalLong(SAS_LIFETIME_SECONDS);
    return new AdlsStorageProfile(
        json.text(ACCOUNT_NAME),
        json.text(FILESYSTEM),
        json.optionalText(KEY_PREFIX),
        json.optionalText(HOST),
        json.optionalText(ENDPOINT),
        json.bool(HIERARCHICAL_NAMESPACE, true),
        json.bool(SAS_ENABLED, true),
        lifetime == null ? null : Duration.ofSeconds(lifetime));
  }

  @Override
  public void write(StorageProfile profile, JsonGenerator generator) throws IOException {
    AdlsStorageProfile adls = (AdlsStorageProfile) profile;
    generator.writeStringField(ACCOUNT_NAME, adls.accountName());
    generator.writeStringField(FILESYSTEM, adls.filesystem());
    generator.writeStringField(KEY_PREFIX, adls.keyPrefix());
    generator.writeStringField(HOST, adls.host());
    ProfileJson.writeOptional(generator, ENDPOINT, adls.endpoint());
    generator.writeBooleanField(HIERARCHICAL_NAMESPACE, adls.hierarchicalNamespace());
    generator.writeBooleanField(SAS_ENABLED, adls.sasEnabled());
    if (adls.sasLifetime() != null) {
      generator.writeNumberField(SAS_LIFETIME_SECONDS, adls.sasLifetime().toSeconds());
    }
  }

  @Override
  public FileIOFactory fileIOFactory() {
    return fileIO;
  }

  @Override
  public Optional<CredentialVendor> credentialVendor() {
    return Optional.of(vendor);
  }
}
