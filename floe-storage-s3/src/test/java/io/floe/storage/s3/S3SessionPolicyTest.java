package io.floe.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.spi.storage.AccessLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact session policy STS receives: only the table's prefixes, only the level's actions. */
class S3SessionPolicyTest {
  @Test
  void readPolicyNamesOnlyTheTablePrefixAndReadActions() {
    String policy = S3SessionPolicy.build(List.of(S3Location.parse("s3://lake/wh/ns/t")), AccessLevel.READ, null);
    assertThat(policy)
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"TableObjects\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:GetObjectVersion\"],"
                + "\"Resource\":[\"arn:aws:s3:::lake/wh/ns/t/*\"]},"
                + "{\"Sid\":\"ListTablePrefix\",\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::lake\"],\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"wh/ns/t/*\"]}}},"
                + "{\"Sid\":\"BucketLocation\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketLocation\"],"
                + "\"Resource\":[\"arn:aws:s3:::lake\"]}]}");
  }

  @Test
  void refusesLocationsWithPolicyWildcards() {
    for (String location : List.of("s3://lake/wh/*", "s3://lake/wh/t?", "s3://lake/wh/${aws:username}")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> S3Location.parse(location))
          .isInstanceOf(io.floe.spi.error.BadRequestException.class)
          .hasMessageContaining("must not contain *, ? or $");
    }
  }

  @Test
  void writePolicyAddsWriteActionsAndKmsForEncryptedBuckets() {
    String policy =
        S3SessionPolicy.build(
            List.of(S3Location.parse("s3://lake/wh/ns/t"), S3Location.parse("s3a://lake/data/t")),
            AccessLevel.READ_WRITE,
            "arn:aws:kms:us-east-1:111122223333:key/k1");
    assertThat(policy)
        .contains("\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"")
        .contains("\"Resource\":[\"arn:aws:s3:::lake/wh/ns/t/*\",\"arn:aws:s3:::lake/data/t/*\"]")
        .contains("\"s3:prefix\":[\"wh/ns/t/*\",\"data/t/*\"]")
        .contains("\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\",\"kms:GenerateDataKey\"],"
            + "\"Resource\":[\"arn:aws:kms:us-east-1:111122223333:key/k1\"]");
    assertThat(S3SessionPolicy.build(List.of(S3Location.parse("s3://lake/t")), AccessLevel.READ, "arn:aws:kms:x:1:key/k"))
        .contains("\"Action\":[\"kms:Decrypt\"]");
  }
}
