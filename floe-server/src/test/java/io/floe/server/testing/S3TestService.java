package io.floe.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server that scripts/test.sh starts (SeaweedFS on loopback, enforcing STS session
 * policies), as the environment describes it.
 */
public record S3TestService(String endpoint, String accessKey, String secretKey, String roleArn) {
  public static final String REGION = "us-east-1";

  /** The service from FLOE_TEST_S3_*; tests that need it are skipped, visibly, without it. */
  public static S3TestService fromEnvironment() {
    String endpoint = System.getenv("FLOE_TEST_S3_ENDPOINT");
    assumeTrue(endpoint != null, "FLOE_TEST_S3_ENDPOINT is not set: run scripts/test.sh, which starts the S3 server");
    return new S3TestService(
        endpoint,
        System.getenv("FLOE_TEST_S3_ACCESS_KEY"),
        System.getenv("FLOE_TEST_S3_SECRET_KEY"),
        System.getenv("FLOE_TEST_S3_ROLE_ARN"));
  }

  /** A client with the admin's long-lived keys. */
  public S3Client adminClient() {
    return client(AwsBasicCredentials.create(accessKey, secretKey));
  }

  /** A client with vended credentials. */
  public S3Client client(String accessKeyId, String secretAccessKey, String sessionToken) {
    return client(AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
  }

  private S3Client client(AwsCredentials credentials) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Creates a bucket of its own for one test class. */
  public String createBucket(String purpose) {
    String bucket = "floe-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client admin = adminClient()) {
      admin.createBucket(request -> request.bucket(bucket));
    }
    return bucket;
  }

  /** A warehouse creation body for a bucket and prefix, with the admin key as its credential. */
  public String warehouseJson(String name, String bucket, String prefix, String extraProfileFields) {
    return """
        {"name":"%s",
         "storage-profile":{"type":"s3","bucket":"%s","key-prefix":"%s","region":"%s","endpoint":"%s",
                            "path-style-access":true,"role-arn":"%s"%s},
         "storage-credential":{"type":"s3-access-key","access-key-id":"%s","secret-access-key":"%s"}}
        """
        .formatted(name, bucket, prefix, REGION, endpoint, roleArn, extraProfileFields, accessKey, secretKey);
  }
}
