package io.floe.storage.gcs;

import io.floe.spi.tenancy.Prefixes;
import io.floe.spi.tenancy.StorageProfile;
import static java.util.Objects.requireNonNull;

import io.floe.spi.error.BadRequestException;
import java.util.regex.Pattern;

/**
 * A Google Cloud Storage bucket. Floe reaches it with the warehouse's stored service account key;
 * clients get OAuth tokens downscoped by a Credential Access Boundary to one table's prefix.
 *
 * @param bucket the bucket name
 * @param keyPrefix the prefix under which the warehouse lives, without leading or trailing
 *     slashes; empty for the whole bucket
 * @param projectId the Google Cloud project, or null to take the credential's
 * @param endpoint the storage API endpoint for emulators ({@code http://127.0.0.1:4443}), or
 *     null for Google's
 * @param downscopingEnabled whether Floe vends downscoped tokens for this warehouse at all
 */
public record GcsStorageProfile(
    String bucket, String keyPrefix, String projectId, String endpoint, boolean downscopingEnabled)
    implements StorageProfile {
  public static final String TYPE = "gcs";

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");

  public GcsStorageProfile {
    requireNonNull(bucket, "bucket is null");
    if (!BUCKET.matcher(bucket).matches()) {
      throw new BadRequestException("Invalid GCS storage profile: bad bucket name %s", bucket);
    }
    keyPrefix = Prefixes.normalize("GCS", keyPrefix);
    projectId = projectId == null || projectId.isBlank() ? null : projectId.trim();
    endpoint = Prefixes.checkEndpoint("GCS", "endpoint", endpoint);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String root() {
    return keyPrefix.isEmpty() ? "gs://" + bucket : "gs://" + bucket + "/" + keyPrefix;
  }
}
