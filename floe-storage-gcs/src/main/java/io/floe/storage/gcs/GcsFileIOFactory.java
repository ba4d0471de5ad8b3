package io.floe.storage.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.StorageOptions;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.FileIOFactory;
import io.floe.storage.gcs.GcsStorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.gcp.GCPProperties;
import org.apache.iceberg.gcp.gcs.GCSFileIO;
import org.apache.iceberg.io.FileIO;

/**
 * Iceberg's own GCSFileIO with the warehouse's service account key. A profile with an emulator
 * endpoint and no key talks to the emulator without authentication.
 */
public final class GcsFileIOFactory implements FileIOFactory {
  @Override
  public String type() {
    return GcsStorageProfile.TYPE;
  }

  @Override
  public FileIO fileIO(StorageProfile profile, Optional<Secret> credential) {
    GcsStorageProfile gcs = (GcsStorageProfile) profile;
    Map<String, String> properties = new HashMap<>();
    if (gcs.projectId() != null) {
      properties.put(GCPProperties.GCS_PROJECT_ID, gcs.projectId());
    }
    if (gcs.endpoint() != null) {
      properties.put(GCPProperties.GCS_SERVICE_HOST, gcs.endpoint());
    }
    GCSFileIO io;
    if (credential.isPresent()) {
      GoogleCredentials source = GcsSecrets.source(credential, GcsSecrets.defaultTransport());
      String projectId = gcs.projectId();
      String endpoint = gcs.endpoint();
      io =
          new GCSFileIO(
              () -> {
                StorageOptions.Builder builder = StorageOptions.newBuilder().setCredentials(source);
                if (projectId != null) {
                  builder.setProjectId(projectId);
                }
                if (endpoint != null) {
                  builder.setHost(endpoint);
                }
                return builder.build().getService();
              });
    } else {
      if (gcs.endpoint() != null) {
        properties.put(GCPProperties.GCS_NO_AUTH, "true");
      }
      io = new GCSFileIO();
    }
    io.initialize(properties);
    return io;
  }
}
