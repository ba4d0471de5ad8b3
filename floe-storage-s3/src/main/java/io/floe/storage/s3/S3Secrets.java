package io.floe.storage.s3;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.secrets.Secret;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The long-lived credential of an S3 warehouse: an access key pair kept in the secret store.
 * Without one, Floe uses the AWS SDK's default chain (environment, instance or pod identity).
 */
final class S3Secrets {
  static final String ACCESS_KEY_ID = "access-key-id";
  static final String SECRET_ACCESS_KEY = "secret-access-key";

  private S3Secrets() {}

  static AwsCredentialsProvider provider(Optional<Secret> credential) {
    if (credential.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    Secret secret = credential.get();
    String keyId = secret.value(ACCESS_KEY_ID);
    String key = secret.value(SECRET_ACCESS_KEY);
    if (keyId == null || key == null) {
      throw new BadRequestException(
          "Invalid S3 storage credential: needs %s and %s", ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, key));
  }
}
