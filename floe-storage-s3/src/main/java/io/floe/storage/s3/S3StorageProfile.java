package io.floe.storage.s3;

import io.floe.spi.tenancy.Prefixes;
import io.floe.spi.tenancy.StorageProfile;
import static java.util.Objects.requireNonNull;

import io.floe.spi.error.BadRequestException;
import java.util.regex.Pattern;

/**
 * An S3 bucket, on AWS or on an S3-compatible store. Floe reaches it with the warehouse's stored
 * access key; clients get short-lived credentials from STS scoped to one table.
 *
 * @param bucket the bucket name
 * @param keyPrefix the key prefix under which the warehouse lives, without leading or trailing
 *     slashes; empty for the whole bucket
 * @param region the bucket's region, e.g. {@code us-east-1}
 * @param endpoint the S3 endpoint for S3-compatible stores, or null for AWS
 * @param pathStyleAccess whether requests name the bucket in the path rather than the host
 * @param stsEndpoint the STS endpoint, or null for the region's (or {@code endpoint}'s for
 *     S3-compatible stores)
 * @param roleArn the role that vended credentials assume; without it Floe uses
 *     GetFederationToken
 * @param sseKmsKeyArn the KMS key that encrypts new objects (SSE-KMS), or null
 * @param stsEnabled whether Floe vends credentials for this warehouse at all
 */
public record S3StorageProfile(
    String bucket,
    String keyPrefix,
    String region,
    String endpoint,
    boolean pathStyleAccess,
    String stsEndpoint,
    String roleArn,
    String sseKmsKeyArn,
    boolean stsEnabled)
    implements StorageProfile {
  public static final String TYPE = "s3";

  // AWS's rules for bucket names; S3-compatible stores accept a subset of these too
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");

  public S3StorageProfile {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(region, "region is null");
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new BadRequestException("Invalid S3 storage profile: bad bucket name %s", bucket);
    }
    if (!REGION.matcher(region).matches()) {
      throw new BadRequestException("Invalid S3 storage profile: bad region %s", region);
    }
    keyPrefix = Prefixes.normalize("S3", keyPrefix);
    endpoint = Prefixes.checkEndpoint("S3", "endpoint", endpoint);
    stsEndpoint = Prefixes.checkEndpoint("S3", "sts-endpoint", stsEndpoint);
    roleArn = blankToNull(roleArn);
    sseKmsKeyArn = blankToNull(sseKmsKeyArn);
    if (roleArn != null && !roleArn.startsWith("arn:")) {
      throw new BadRequestException("Invalid S3 storage profile: role-arn is not an ARN: %s", roleArn);
    }
    if (sseKmsKeyArn != null && !sseKmsKeyArn.startsWith("arn:")) {
      throw new BadRequestException(
          "Invalid S3 storage profile: sse-kms-key-arn is not an ARN: %s", sseKmsKeyArn);
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String root() {
    return keyPrefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + keyPrefix;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
