package io.floe.storage.s3;

import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.FileIOFactory;
import io.floe.storage.s3.S3StorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileIO;

/** Iceberg's own S3FileIO, set up from a warehouse's S3 profile and stored access key. */
public final class S3FileIOFactory implements FileIOFactory {
  @Override
  public String type() {
    return S3StorageProfile.TYPE;
  }

  @Override
  public FileIO fileIO(StorageProfile profile, Optional<Secret> credential) {
    S3StorageProfile s3 = (S3StorageProfile) profile;
    Map<String, String> properties = new HashMap<>(S3ClientProperties.of(s3));
    // the light JDK client; S3FileIO defaults to Apache's, which Floe does not ship
    properties.put("http-client.type", "urlconnection");
    credential.ifPresent(
        secret -> {
          S3Secrets.provider(credential);
          properties.put("s3.access-key-id", secret.value(S3Secrets.ACCESS_KEY_ID));
          properties.put("s3.secret-access-key", secret.value(S3Secrets.SECRET_ACCESS_KEY));
        });
    S3FileIO io = new S3FileIO();
    io.initialize(properties);
    return io;
  }
}
