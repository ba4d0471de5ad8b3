package io.floe.storage.gcs;

import io.floe.spi.storage.ObjectLocation;
import java.util.Set;

/**
 * A bucket and object prefix parsed from {@code gs://bucket/prefix}.
 *
 * @param prefix the object prefix without leading or trailing slashes; empty for the bucket
 */
record GcsLocation(String bucket, String prefix) {
  static GcsLocation parse(String location) {
    ObjectLocation parsed = ObjectLocation.parse(location, Set.of("gs"), "gs://bucket/prefix");
    return new GcsLocation(parsed.authority(), parsed.path());
  }
}
