package io.floe.storage.gcs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.storage.StorageKind;
import io.floe.spi.tenancy.ProfileJson;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/** Google Cloud Storage: GCSFileIO for the server, downscoped tokens for clients. */
public final class GcsStorageKind implements StorageKind {
  static final String BUCKET = "bucket";
  static final String KEY_PREFIX = "key-prefix";
  static final String PROJECT_ID = "project-id";
  static final String ENDPOINT = "endpoint";
  static final String DOWNSCOPING_ENABLED = "downscoping-enabled";
  private static final Set<String> FIELDS = Set.of(BUCKET, KEY_PREFIX, PROJECT_ID, ENDPOINT, DOWNSCOPING_ENABLED);

  private final GcsFileIOFactory fileIO = new GcsFileIOFactory();
  private final GcsCredentialVendor vendor = new GcsCredentialVendor();

  @Override
  public String type() {
    return GcsStorageProfile.TYPE;
  }

  @Override
  public StorageProfile parse(ProfileJson json) {
    json.allow(FIELDS);
    return new GcsStorageProfile(
        json.text(BUCKET),
        json.optionalText(KEY_PREFIX),
        json.optionalText(PROJECT_ID),
        json.optionalText(ENDPOINT),
        json.bool(DOWNSCOPING_ENABLED, true));
  }

  @Override
  public void write(StorageProfile profile, JsonGenerator generator) throws IOException {
    GcsStorageProfile gcs = (GcsStorageProfile) profile;
    generator.writeStringField(BUCKET, gcs.bucket());
    generator.writeStringField(KEY_PREFIX, gcs.keyPrefix());
    ProfileJson.writeOptional(generator, PROJECT_ID, gcs.projectId());
    ProfileJson.writeOptional(generator, ENDPOINT, gcs.endpoint());
    generator.writeBooleanField(DOWNSCOPING_ENABLED, gcs.downscopingEnabled());
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
