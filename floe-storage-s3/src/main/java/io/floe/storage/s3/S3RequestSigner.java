package io.floe.storage.s3;

import io.floe.spi.error.ForbiddenException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.RequestSigner;
import io.floe.spi.storage.SignRequest;
import io.floe.spi.storage.SignedRequest;
import io.floe.storage.s3.S3StorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.signer.AwsS3V4Signer;
import software.amazon.awssdk.auth.signer.params.AwsS3V4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Signs S3 requests (SigV4, unsigned payload) for clients that use remote signing. The decision
 * is by S3 operation: reads (GetObject, HeadObject, ListObjectsV2 on a prefix) for readers;
 * writes (PutObject, multipart uploads, DeleteObject, DeleteObjects with its keys checked) for
 * writers; every key must lie inside the table's locations, and the request must go to the
 * profile's own endpoint.
 */
public final class S3RequestSigner implements RequestSigner {
  /** Headers that change on retries or per range, so the client may send them unsigned. */
  /** AWS's S3 service host names, without ".amazonaws.com": s3, s3.eu-west-1, s3-fips.us-east-2... */
  private static final Pattern S3_SERVICE = Pattern.compile("s3([.-][a-z0-9-]+)*");

  private static final Set<String> UNSIGNED_HEADERS =
      Set.of("range", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-retry", "amz-sdk-request");

  private final S3Clients clients;

  /** A signer with clients of its own. */
  public S3RequestSigner() {
    this(new S3Clients(Duration.ofSeconds(5), Duration.ofSeconds(10)));
  }

  /** A signer that shares the server's S3 credentials providers. */
  public S3RequestSigner(S3Clients clients) {
    this.clients = clients;
  }

  @Override
  public String type() {
    return S3StorageProfile.TYPE;
  }

  @Override
  public Map<String, String> clientProperties(StorageProfile profile, String signEndpoint) {
    Map<String, String> properties = new LinkedHashMap<>(S3ClientProperties.of((S3StorageProfile) profile));
    properties.put("s3.remote-signing-enabled", "true");
    // PyIceberg's name for the signer; it signs only through fsspec, which this selects
    properties.put("s3.signer", "S3V4RestSigner");
    properties.put("py-io-impl", "pyiceberg.io.fsspec.FsspecFileIO");
    // Iceberg's Java S3FileIO reads the first, PyIceberg the second
    properties.put("signer.endpoint", signEndpoint);
    properties.put("s3.signer.endpoint", signEndpoint);
    return properties;
  }

  @Override
  public SignedRequest sign(
      StorageProfile profile,
      Optional<Secret> credential,
      List<String> locations,
      AccessLevel access,
      SignRequest request) {
    S3StorageProfile s3 = (S3StorageProfile) profile;
    boolean virtualHosted = virtualHosted(s3, request.uri());
    checkHeaders(request.headers());
    S3Operation operation =
        S3Operation.of(request.method(), request.uri(), s3.bucket(), virtualHosted, request.body());
    if (operation.needs().canWrite() && !access.canWrite()) {
      throw new ForbiddenException(
          "Cannot sign %s: the caller may only read this table", operation.name());
    }
    List<S3Location> allowed = locations.stream().map(S3Location::parse).toList();
    for (String key : operation.keys()) {
      boolean inside =
          allowed.stream()
              .anyMatch(location -> location.bucket().equals(operation.bucket()) && location.contains(key));
      if (!inside) {
        throw new ForbiddenException(
            "Cannot sign %s: s3://%s/%s is outside the table's location %s",
            operation.name(), operation.bucket(), key, locations.get(0));
      }
    }
    try (S3Clients.Lease lease = clients.lease(s3, credential)) {
      return signed(s3, lease, request, operation.name().equals("DeleteObjects"));
    }
  }

  /**
   * Refuses headers that turn a signed PUT into another operation (a copy from anywhere in the
   * bucket) or change who may read or keep an object.
   */
  private static void checkHeaders(Map<String, List<String>> headers) {
    for (String name : headers.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-amz-copy-source")
          || lower.equals("x-amz-acl")
          || lower.startsWith("x-amz-grant-")
          || lower.startsWith("x-amz-object-lock-")
          || lower.equals("x-amz-tagging")
          || lower.equals("x-amz-website-redirect-location")
          || lower.equals("x-amz-bypass-governance-retention")) {
        throw new ForbiddenException("Cannot sign request: the header %s is not allowed", name);
      }
    }
  }

  /**
   * Signs the request. A DeleteObjects request signs its body's hash, so the keys S3 deletes are
   * the keys that were checked; other requests sign an unsigned payload, as the clients expect.
   */
  private static SignedRequest signed(
      S3StorageProfile profile, S3Clients.Lease lease, SignRequest request, boolean signBody) {
    Map<String, List<String>> signedHeaders = new HashMap<>();
    Map<String, List<String>> unsignedHeaders = new HashMap<>();
    request.headers().forEach(
        (name, values) -> {
          if (UNSIGNED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            unsignedHeaders.put(name, values);
          } else if (!name.equalsIgnoreCase("authorization")
              && !(signBody && name.equalsIgnoreCase("x-amz-content-sha256"))) {
            // a signed body gets its own hash: the client's claim about it is not signed
            signedHeaders.put(name, values);
          }
        });
    String region = request.region().isEmpty() ? profile.region() : request.region();
    AwsS3V4SignerParams parameters =
        AwsS3V4SignerParams.builder()
            .awsCredentials(lease.credentials().resolveCredentials())
            .signingName("s3")
            .signingRegion(Region.of(region))
            .enablePayloadSigning(signBody)
            .enableChunkedEncoding(false)
            .doubleUrlEncode(false)
            .build();
    SdkHttpFullRequest.Builder unsigned =
        SdkHttpFullRequest.builder()
            .uri(request.uri())
            .method(SdkHttpMethod.fromValue(request.method().toUpperCase(Locale.ROOT)))
            .headers(signedHeaders);
    if (signBody) {
      byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
      unsigned.contentStreamProvider(() -> new ByteArrayInputStream(body));
    }
    SdkHttpFullRequest signed = AwsS3V4Signer.create().sign(unsigned.build(), parameters);
    Map<String, List<String>> headers = new HashMap<>(signed.headers());
    headers.putAll(unsignedHeaders);
    return new SignedRequest(request.uri(), headers);
  }

  /**
   * Whether the request names the bucket in its host (virtual-hosted) rather than in its path,
   * after checking that it goes to the profile's endpoint, or for AWS to an S3 endpoint: a
   * signature is never handed out for another host, and never for a host that could name another
   * bucket than the one the key is checked in.
   */
  static boolean virtualHosted(S3StorageProfile profile, URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String bucket = profile.bucket();
    if (profile.endpoint() != null) {
      URI endpoint = URI.create(profile.endpoint());
      String expected = endpoint.getHost().toLowerCase(Locale.ROOT);
      if (port(uri) == port(endpoint)) {
        if (host.equals(expected)) {
          return false;
        }
        if (host.equals(bucket + "." + expected)) {
          return true;
        }
      }
      throw new ForbiddenException("Cannot sign request: %s is not the warehouse's S3 endpoint", uri.getAuthority());
    }
    String suffix = ".amazonaws.com";
    if (host.endsWith(suffix)) {
      String service = host.substring(0, host.length() - suffix.length());
      if (service.startsWith(bucket + ".") && S3_SERVICE.matcher(service.substring(bucket.length() + 1)).matches()) {
        return true;
      }
      if (S3_SERVICE.matcher(service).matches()) {
        return false;
      }
    }
    throw new ForbiddenException("Cannot sign request: %s is not an S3 endpoint of the bucket %s", uri.getAuthority(), bucket);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
