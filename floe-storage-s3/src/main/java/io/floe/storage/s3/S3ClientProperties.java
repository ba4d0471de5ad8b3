package io.floe.storage.s3;

import io.floe.storage.s3.S3StorageProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client properties that reach an S3 profile's bucket, in the names both Iceberg's Java
 * S3FileIO and PyIceberg read, so that an engine needs no local settings.
 */
final class S3ClientProperties {
  private S3ClientProperties() {}

  static Map<String, String> of(S3StorageProfile profile) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("client.region", profile.region());
    properties.put("s3.region", profile.region());
    if (profile.endpoint() != null) {
      properties.put("s3.endpoint", profile.endpoint());
    }
    properties.put("s3.path-style-access", Boolean.toString(profile.pathStyleAccess()));
    if (!profile.pathStyleAccess() && profile.endpoint() != null) {
      // PyIceberg addresses by path when given an endpoint unless told otherwise
      properties.put("s3.force-virtual-addressing", "true");
    }
    if (profile.sseKmsKeyArn() != null) {
      properties.put("s3.sse.type", "kms");
      properties.put("s3.sse.key", profile.sseKmsKeyArn());
    }
    return properties;
  }
}
