package io.floe.storage.s3;

import com.fasterxml.jackson.core.JsonGenerator;
import io.floe.spi.storage.AccessLevel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.util.JsonUtil;

/**
 * The inline session policy given to STS: the vended credentials can do no more than it allows,
 * whatever the role or user behind them may do. It names only the table's own prefixes.
 */
final class S3SessionPolicy {
  static final List<String> READ_ACTIONS = List.of("s3:GetObject", "s3:GetObjectVersion");
  static final List<String> WRITE_ACTIONS =
      List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");

  private S3SessionPolicy() {}

  /**
   * Builds the policy for the objects under {@code locations}.
   *
   * @param kmsKeyArn the SSE-KMS key the objects are encrypted with, or null
   */
  static String build(List<S3Location> locations, AccessLevel access, String kmsKeyArn) {
    Map<String, Set<String>> prefixesByBucket = new LinkedHashMap<>();
    Set<String> objects = new LinkedHashSet<>();
    for (S3Location location : locations) {
      prefixesByBucket.computeIfAbsent(location.bucket(), bucket -> new LinkedHashSet<>());
      if (location.key().isEmpty()) {
        prefixesByBucket.get(location.bucket()).add("*");
        objects.add("arn:aws:s3:::" + location.bucket() + "/*");
      } else {
        // "key/*" and not "key": a listing of "wh/t" would also name the files of "wh/t-other"
        prefixesByBucket.get(location.bucket()).add(location.key() + "/*");
        objects.add("arn:aws:s3:::" + location.bucket() + "/" + location.key() + "/*");
      }
    }
    return JsonUtil.generate(
        generator -> {
          generator.writeStartObject();
          generator.writeStringField("Version", "2012-10-17");
          generator.writeArrayFieldStart("Statement");
          List<String> objectActions = new ArrayList<>(READ_ACTIONS);
          if (access.canWrite()) {
            objectActions.addAll(WRITE_ACTIONS);
          }
          statement(generator, "TableObjects", objectActions, List.copyOf(objects));
          for (Map.Entry<String, Set<String>> bucket : prefixesByBucket.entrySet()) {
            String arn = "arn:aws:s3:::" + bucket.getKey();
            generator.writeStartObject();
            generator.writeStringField("Sid", "ListTablePrefix");
            generator.writeStringField("Effect", "Allow");
            writeArray(generator, "Action", List.of("s3:ListBucket"));
            writeArray(generator, "Resource", List.of(arn));
            generator.writeObjectFieldStart("Condition");
            generator.writeObjectFieldStart("StringLike");
            writeArray(generator, "s3:prefix", List.copyOf(bucket.getValue()));
            generator.writeEndObject();
            generator.writeEndObject();
            generator.writeEndObject();
            statement(generator, "BucketLocation", List.of("s3:GetBucketLocation"), List.of(arn));
          }
          if (kmsKeyArn != null) {
            List<String> kmsActions =
                access.canWrite()
                    ? List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
                    : List.of("kms:Decrypt");
            statement(generator, "TableKey", kmsActions, List.of(kmsKeyArn));
          }
          generator.writeEndArray();
          generator.writeEndObject();
        },
        false);
  }

  private static void statement(JsonGenerator generator, String sid, List<String> actions, List<String> resources)
      throws IOException {
    generator.writeStartObject();
    generator.writeStringField("Sid", sid);
    generator.writeStringField("Effect", "Allow");
    writeArray(generator, "Action", actions);
    writeArray(generator, "Resource", resources);
    generator.writeEndObject();
  }

  private static void writeArray(JsonGenerator generator, String field, List<String> values) throws IOException {
    generator.writeArrayFieldStart(field);
    for (String value : values) {
      generator.writeString(value);
    }
    generator.writeEndArray();
  }
}
