package io.floe.storage.gcs;

import com.google.auth.oauth2.CredentialAccessBoundary;
import com.google.auth.oauth2.CredentialAccessBoundary.AccessBoundaryRule;
import com.google.auth.oauth2.CredentialAccessBoundary.AccessBoundaryRule.AvailabilityCondition;
import io.floe.spi.storage.AccessLevel;
import java.util.List;

/**
 * The Credential Access Boundary of a downscoped token: one rule per bucket, whose condition
 * admits only objects under the table's prefixes, and listings of those prefixes.
 */
final class GcsAccessBoundary {
  static final String READ_ROLE = "inRole:roles/storage.objectViewer";
  /** Create, read, list and delete objects, without any IAM or bucket permission. */
  static final String WRITE_ROLE = "inRole:roles/storage.objectUser";

  private GcsAccessBoundary() {}

  static CredentialAccessBoundary of(List<GcsLocation> locations, AccessLevel access) {
    CredentialAccessBoundary.Builder boundary = CredentialAccessBoundary.newBuilder();
    locations.stream().map(GcsLocation::bucket).distinct().forEach(bucket -> {
      List<GcsLocation> inBucket = locations.stream().filter(location -> location.bucket().equals(bucket)).toList();
      boundary.addRule(
          AccessBoundaryRule.newBuilder()
              .setAvailableResource("//storage.googleapis.com/projects/_/buckets/" + bucket)
              .addAvailablePermission(access.canWrite() ? WRITE_ROLE : READ_ROLE)
              .setAvailabilityCondition(
                  AvailabilityCondition.newBuilder()
                      .setTitle("table files")
                      .setExpression(expression(bucket, inBucket))
                      .build())
              .build());
    });
    return boundary.build();
  }

  /** The CEL condition: objects under the prefixes, and listings that stay under them. */
  static String expression(String bucket, List<GcsLocation> locations) {
    StringBuilder expression = new StringBuilder();
    for (GcsLocation location : locations) {
      String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
      if (expression.length() > 0) {
        expression.append(" || ");
      }
      expression
          .append("resource.name.startsWith('projects/_/buckets/").append(bucket).append("/objects/")
          .append(escape(prefix)).append("')")
          .append(" || api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith('")
          .append(escape(prefix)).append("')");
    }
    return expression.toString();
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("'", "\\'");
  }
}
