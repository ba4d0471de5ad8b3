package io.floe.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.ForbiddenException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.SignRequest;
import io.floe.spi.storage.SignedRequest;
import io.floe.storage.s3.S3StorageProfile;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which S3 requests the signer signs: decided by operation and location, not by HTTP method. */
class S3RequestSignerTest {
  private static final String ENDPOINT = "http://127.0.0.1:9000";
  private static final S3StorageProfile PROFILE =
      new S3StorageProfile("lake", "wh", "us-east-1", ENDPOINT, true, null, null, null, true);
  private static final Optional<Secret> KEY =
      Optional.of(new Secret(Map.of("access-key-id", "AKIDEXAMPLE", "secret-access-key", "wJalrXUtnFEMI/K7MDENG")));
  private static final List<String> TABLE = List.of("s3://lake/wh/ns/t");
  private final S3RequestSigner signer = new S3RequestSigner();

  @Test
  void signsReadsInsideTheTableForReaders() {
    SignedRequest signed = sign(AccessLevel.READ, "GET", ENDPOINT + "/lake/wh/ns/t/data/f.parquet", null);
    assertThat(signed.headers().get("Authorization").get(0))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/us-east-1/s3/aws4_request");
    assertThat(signed.headers().get("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
    assertThat(signed.headers().get("Range")).containsExactly("bytes=0-10");
    sign(AccessLevel.READ, "HEAD", ENDPOINT + "/lake/wh/ns/t/metadata/v1.metadata.json", null);
    sign(AccessLevel.READ, "GET", ENDPOINT + "/lake?list-type=2&prefix=wh%2Fns%2Ft%2Fdata%2F", null);
  }

  @Test
  void refusesEverythingElseToReaders() {
    assertRefused(AccessLevel.READ, "PUT", ENDPOINT + "/lake/wh/ns/t/data/f.parquet", null, "may only read");
    assertRefused(AccessLevel.READ, "DELETE", ENDPOINT + "/lake/wh/ns/t/data/f.parquet", null, "may only read");
    assertRefused(AccessLevel.READ, "POST", ENDPOINT + "/lake/wh/ns/t/data/f.parquet?uploads", null, "may only read");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake/wh/ns/other/f.parquet", null, "outside the table's location");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake/wh/ns/t-sibling/f.parquet", null, "outside");
    // a listing of the table's own key would also name the files of t-sibling
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake?list-type=2&prefix=wh%2Fns%2Ft", null, "outside");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake?list-type=2", null, "outside");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/other-bucket/wh/ns/t/f.parquet", null, "not in the warehouse's bucket");
    assertRefused(AccessLevel.READ, "GET", "http://evil.example:9000/lake/wh/ns/t/f.parquet", null, "not the warehouse's S3 endpoint");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake/wh/ns/t/f.parquet?acl", null, "acl");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake", null, "not an operation on the table's files");
  }

  @Test
  void signsWritesInsideTheTableForWriters() {
    sign(AccessLevel.READ_WRITE, "PUT", ENDPOINT + "/lake/wh/ns/t/data/f.parquet", null);
    sign(AccessLevel.READ_WRITE, "POST", ENDPOINT + "/lake/wh/ns/t/data/f.parquet?uploads", null);
    sign(AccessLevel.READ_WRITE, "PUT", ENDPOINT + "/lake/wh/ns/t/data/f.parquet?partNumber=1&uploadId=u1", null);
    sign(AccessLevel.READ_WRITE, "POST", ENDPOINT + "/lake/wh/ns/t/data/f.parquet?uploadId=u1", null);
    sign(AccessLevel.READ_WRITE, "DELETE", ENDPOINT + "/lake/wh/ns/t/data/f.parquet?uploadId=u1", null);
    sign(AccessLevel.READ_WRITE, "DELETE", ENDPOINT + "/lake/wh/ns/t/data/f.parquet", null);
    sign(AccessLevel.READ_WRITE, "POST", ENDPOINT + "/lake?delete", deleteBody("wh/ns/t/a", "wh/ns/t/b"));
    assertRefused(AccessLevel.READ_WRITE, "PUT", ENDPOINT + "/lake/wh/ns/other/f.parquet", null, "outside");
  }

  @Test
  void refusesKeysThatAStoreCouldResolveOutsideTheTable() {
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake/wh/ns/t/%2E%2E/other/x", null, "'..' segment");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake/wh/ns/t/../other/x", null, "'..' segment");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake/wh/ns/t//x", null, "empty");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake?list-type=2&prefix=wh%2Fns%2Ft%2F..%2F", null, "'..' segment");
    assertRefused(AccessLevel.READ, "GET", ENDPOINT + "/lake?list-type=2&prefix=wh%2Fns%2Ft%2F&prefix=wh%2F", null, "appears twice");
  }

  @Test
  void refusesHeadersThatMakeAPutACopyOrChangeAccess() {
    for (String header : List.of("x-amz-copy-source", "X-Amz-Copy-Source-Range", "x-amz-acl", "x-amz-grant-read", "x-amz-tagging")) {
      assertThatThrownBy(
              () -> signer.sign(PROFILE, KEY, TABLE, AccessLevel.READ_WRITE,
                  new SignRequest("us-east-1", "PUT", URI.create(ENDPOINT + "/lake/wh/ns/t/data/f.parquet"),
                      Map.of(header, List.of("/lake/wh/ns/other/secret.parquet")), null)))
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("the header " + header + " is not allowed");
    }
  }

  @Test
  void signsTheBodyOfADeleteObjectsSoThatItCannotBeSwapped() throws Exception {
    String body = deleteBody("wh/ns/t/a");
    SignedRequest signed =
        signer.sign(PROFILE, KEY, TABLE, AccessLevel.READ_WRITE,
            new SignRequest("us-east-1", "POST", URI.create(ENDPOINT + "/lake?delete"),
                Map.of("x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD")), body));
    String hash = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(signed.headers().get("x-amz-content-sha256")).containsExactly(hash);
    assertThat(signed.headers().get("Authorization").get(0)).contains("x-amz-content-sha256");
  }

  @Test
  void acceptsOnlyHostsThatNameTheWarehouseBucketOnAws() {
    S3StorageProfile aws = new S3StorageProfile("lake", "wh", "eu-west-1", null, false, null, null, null, true);
    List<String> allowed =
        List.of(
            "https://lake.s3.amazonaws.com/wh/ns/t/f",
            "https://lake.s3.eu-west-1.amazonaws.com/wh/ns/t/f",
            "https://LAKE.S3.EU-WEST-1.AMAZONAWS.COM/wh/ns/t/f",
            "https://s3.eu-west-1.amazonaws.com/lake/wh/ns/t/f");
    for (String uri : allowed) {
      signer.sign(aws, KEY, TABLE, AccessLevel.READ, new SignRequest("", "GET", URI.create(uri), Map.of(), null));
    }
    List<String> refused =
        List.of(
            // another bucket in the host, this bucket's name in the path
            "https://otherbucket.s3.amazonaws.com/lake/wh/ns/t/f",
            // a bucket named "lake.evil", not "lake"
            "https://lake.evil.s3.amazonaws.com/wh/ns/t/f",
            "https://lake.s3.amazonaws.com.evil.example/wh/ns/t/f",
            "https://sqs.eu-west-1.amazonaws.com/lake/wh/ns/t/f");
    for (String uri : refused) {
      assertThatThrownBy(
              () -> signer.sign(aws, KEY, TABLE, AccessLevel.READ, new SignRequest("", "GET", URI.create(uri), Map.of(), null)))
          .as(uri)
          .isInstanceOf(ForbiddenException.class);
    }
  }

  @Test
  void checksEveryKeyOfADeleteObjectsBody() {
    assertRefused(
        AccessLevel.READ_WRITE, "POST", ENDPOINT + "/lake?delete", deleteBody("wh/ns/t/a", "wh/ns/other/b"),
        "s3://lake/wh/ns/other/b is outside");
    assertRefused(AccessLevel.READ_WRITE, "POST", ENDPOINT + "/lake?delete", null, "without its body");
    assertRefused(AccessLevel.READ_WRITE, "POST", ENDPOINT + "/lake?delete", "<Delete></Delete>", "names no key");
    assertThatThrownBy(
            () -> sign(AccessLevel.READ_WRITE, "POST", ENDPOINT + "/lake?delete",
                "<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&x;</Key></Object></Delete>"))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void acceptsVirtualHostedRequests() {
    S3StorageProfile virtual = new S3StorageProfile("lake", "wh", "eu-west-1", null, false, null, null, null, true);
    SignedRequest signed =
        signer.sign(virtual, KEY, TABLE, AccessLevel.READ,
            new SignRequest("", "GET", URI.create("https://lake.s3.eu-west-1.amazonaws.com/wh/ns/t/f.parquet"), Map.of(), null));
    assertThat(signed.headers().get("Authorization").get(0)).contains("/eu-west-1/s3/aws4_request");
    assertThatThrownBy(
            () -> signer.sign(virtual, KEY, TABLE, AccessLevel.READ,
                new SignRequest("", "GET", URI.create("https://lake.example.com/wh/ns/t/f.parquet"), Map.of(), null)))
        .isInstanceOf(ForbiddenException.class);
  }

  private SignedRequest sign(AccessLevel access, String method, String uri, String body) {
    return signer.sign(
        PROFILE, KEY, TABLE, access,
        new SignRequest("us-east-1", method, URI.create(uri), Map.of("Range", List.of("bytes=0-10")), body));
  }

  private void assertRefused(AccessLevel access, String method, String uri, String body, String reason) {
    assertThatThrownBy(() -> sign(access, method, uri, body))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining(reason);
  }

  private static String deleteBody(String... keys) {
    StringBuilder body = new StringBuilder("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (String key : keys) {
      body.append("<Object><Key>").append(key).append("</Key></Object>");
    }
    return body.append("<Quiet>true</Quiet></Delete>").toString();
  }
}
