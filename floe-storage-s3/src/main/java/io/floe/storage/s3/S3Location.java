package io.floe.storage.s3;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.storage.ObjectLocation;
import java.util.Set;

/**
 * A bucket and key parsed from an {@code s3://bucket/key} location ({@code s3a} and {@code s3n}
 * spell the same thing).
 *
 * @param key the key without a leading or trailing slash; empty for the whole bucket
 */
record S3Location(String bucket, String key) {
  private static final Set<String> SCHEMES = Set.of("s3", "s3a", "s3n");

  static S3Location parse(String location) {
    ObjectLocation parsed = ObjectLocation.parse(location, SCHEMES, "s3://bucket/key");
    // in a policy's resource or condition these are wildcards and variables, not characters
    if (parsed.path().contains("*") || parsed.path().contains("?") || parsed.path().contains("$")) {
      throw new BadRequestException("Invalid S3 location, must not contain *, ? or $: %s", location);
    }
    return new S3Location(parsed.authority(), parsed.path());
  }

  /** See {@link ObjectLocation#contains}. */
  boolean contains(String keyOrPrefix) {
    return new ObjectLocation("s3", bucket, key).contains(keyOrPrefix);
  }
}
