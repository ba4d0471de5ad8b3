package io.floe.storage.s3;

import io.floe.spi.error.BadRequestException;

/**
 * A bucket and key parsed from an {@code s3://bucket/key} location ({@code s3a} and {@code s3n}
 * spell the same thing).
 *
 * @param key the key without a leading or trailing slash; empty for the whole bucket
 */
record S3Location(String bucket, String key) {
  static S3Location parse(String location) {
    int schemeEnd = location.indexOf("://");
    String scheme = schemeEnd > 0 ? location.substring(0, schemeEnd) : "";
    if (!(scheme.equals("s3") || scheme.equals("s3a") || scheme.equals("s3n"))) {
      throw new BadRequestException("Invalid S3 location, expected s3://bucket/key: %s", location);
    }
    String rest = location.substring(schemeEnd + 3);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    while (key.endsWith("/")) {
      key = key.substring(0, key.length() - 1);
    }
    if (bucket.isEmpty()) {
      throw new BadRequestException("Invalid S3 location, no bucket: %s", location);
    }
    return new S3Location(bucket, key);
  }

  /**
   * Whether an object key, or a listing prefix, lies under this location (a bucket-wide location
   * holds every key). The location's own key does not: listing "wh/t" would also name the files of
   * "wh/t-other".
   */
  boolean contains(String keyOrPrefix) {
    return key.isEmpty() || keyOrPrefix.startsWith(key + "/");
  }
}
