package io.floe.storage.gcs;

import io.floe.spi.error.BadRequestException;

/**
 * A bucket and object prefix parsed from {@code gs://bucket/prefix}.
 *
 * @param prefix the object prefix without leading or trailing slashes; empty for the bucket
 */
record GcsLocation(String bucket, String prefix) {
  static GcsLocation parse(String location) {
    if (!location.startsWith("gs://")) {
      throw new BadRequestException("Invalid GCS location, expected gs://bucket/prefix: %s", location);
    }
    String rest = location.substring("gs://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    if (bucket.isEmpty()) {
      throw new BadRequestException("Invalid GCS location, no bucket: %s", location);
    }
    return new GcsLocation(bucket, prefix);
  }
}
