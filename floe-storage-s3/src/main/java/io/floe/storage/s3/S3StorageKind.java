package io.floe.storage.s3;

import com.fasterxml.jackson.core.JsonGenerator;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.storage.RequestSigner;
import io.floe.spi.storage.StorageKind;
import io.floe.spi.tenancy.ProfileJson;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * S3 and S3-compatible stores: S3FileIO for the server, STS-vended credentials and remote signing
 * for clients, sharing one credentials provider and STS client per profile.
 */
public final class S3StorageKind implements StorageKind {
  static final String BUCKET = "bucket";
  static final String KEY_PREFIX = "key-prefix";
  static final String REGION = "region";
  static final String ENDPOINT = "endpoint";
  static final String PATH_STYLE_ACCESS = "path-style-access";
  static final String STS_ENDPOINT = "sts-endpoint";
  static final String ROLE_ARN = "role-arn";
  static final String SSE_KMS_KEY_ARN = "sse-kms-key-arn";
  static final String STS_ENABLED = "sts-enabled";
  private static final Set<String> FIELDS =
      Set.of(BUCKET, KEY_PREFIX, REGION, ENDPOINT, PATH_STYLE_ACCESS, STS_ENDPOINT, ROLE_ARN, SSE_KMS_KEY_ARN, STS_ENABLED);

  private final S3Clients clients = new S3Clients(Duration.ofSeconds(5), Duration.ofSeconds(10));
  private final S3FileIOFactory fileIO = new S3FileIOFactory();
  private final S3CredentialVendor vendor = new S3CredentialVendor(clients);
  private final S3RequestSigner signer = new S3RequestSigner(clients);

  @Override
  public String type() {
    return S3StorageProfile.TYPE;
  }

  @Override
  public StorageProfile parse(ProfileJson json) {
    json.allow(FIELDS);
    return new S3StorageProfile(
        json.text(BUCKET),
        json.optionalText(KEY_PREFIX),
        json.text(REGION),
        json.optionalText(ENDPOINT),
        json.bool(PATH_STYLE_ACCESS, false),
        json.optionalText(STS_ENDPOINT),
        json.optionalText(ROLE_ARN),
        json.optionalText(SSE_KMS_KEY_ARN),
        json.bool(STS_ENABLED, true));
  }

  @Override
  public void write(StorageProfile profile, JsonGenerator generator) throws IOException {
    S3StorageProfile s3 = (S3StorageProfile) profile;
    generator.writeStringField(BUCKET, s3.bucket());
    generator.writeStringField(KEY_PREFIX, s3.keyPrefix());
    generator.writeStringField(REGION, s3.region());
    ProfileJson.writeOptional(generator, ENDPOINT, s3.endpoint());
    generator.writeBooleanField(PATH_STYLE_ACCESS, s3.pathStyleAccess());
    ProfileJson.writeOptional(generator, STS_ENDPOINT, s3.stsEndpoint());
    ProfileJson.writeOptional(generator, ROLE_ARN, s3.roleArn());
    ProfileJson.writeOptional(generator, SSE_KMS_KEY_ARN, s3.sseKmsKeyArn());
    generator.writeBooleanField(STS_ENABLED, s3.stsEnabled());
  }

  @Override
  public FileIOFactory fileIOFactory() {
    return fileIO;
  }

  @Override
  public Optional<CredentialVendor> credentialVendor() {
    return Optional.of(vendor);
  }

  @Override
  public Optional<RequestSigner> requestSigner() {
    return Optional.of(signer);
  }

  @Override
  public void close() {
    clients.close();
  }
}
