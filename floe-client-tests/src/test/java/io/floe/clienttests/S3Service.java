package io.floe.clienttests;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalog;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server the test script starts (SeaweedFS on loopback, enforcing STS session policies),
 * and S3 warehouses on it whose only long-lived key Floe holds.
 */
final class S3Service {
  static final String REGION = "us-east-1";

  private S3Service() {}

  static String endpoint() {
    return required("FLOE_TEST_S3_ENDPOINT");
  }

  static S3Client admin() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(required("FLOE_TEST_S3_ACCESS_KEY"), required("FLOE_TEST_S3_SECRET_KEY"))))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static String createBucket(String purpose) {
    String bucket = "floe-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client admin = admin()) {
      admin.createBucket(request -> request.bucket(bucket));
    }
    return bucket;
  }

  /** Creates an S3 warehouse under {@code s3://bucket/prefix}; returns its name. */
  static String createWarehouse(String bucket, String prefix) {
    String name = "s3-" + UUID.randomUUID();
    String body =
        """
        {"name":"%s",
         "storage-profile":{"type":"s3","bucket":"%s","key-prefix":"%s","region":"%s","endpoint":"%s",
                            "path-style-access":true,"role-arn":"%s"},
         "storage-credential":{"type":"s3-access-key","access-key-id":"%s","secret-access-key":"%s"}}
        """
            .formatted(
                name, bucket, prefix, REGION, endpoint(), required("FLOE_TEST_S3_ROLE_ARN"),
                required("FLOE_TEST_S3_ACCESS_KEY"), required("FLOE_TEST_S3_SECRET_KEY"));
    FloeServer.createWarehouse(body);
    return name;
  }

  /**
   * A RESTCatalog whose FileIO is S3FileIO with no key, endpoint or region of its own: all of
   * that comes from Floe, as vended credentials or remote signing ({@code delegation}).
   */
  static RESTCatalog catalog(String name, String warehouse, String delegation, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    properties.put("header.X-Iceberg-Access-Delegation", delegation);
    properties.put("http-client.type", "urlconnection");
    properties.putAll(extra);
    return FloeServer.catalog(name, warehouse, properties);
  }

  private static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(variable + " is not set: run the suites through scripts/test.sh");
    }
    return value;
  }
}
