package io.floe.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.testing.HttpExchanges;
import io.floe.spi.storage.VendedCredentials;
import io.floe.storage.gcs.GcsStorageProfile;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Downscoped GCS tokens, end to end against a loopback stand-in for Google's two token endpoints:
 * the service account's JWT grant (whose signature it checks) and the STS token exchange that
 * receives the Credential Access Boundary. The boundary is checked exactly; nothing local can
 * enforce it, so this does not show that Google applies it (see docs/storage.md).
 */
class GcsCredentialVendorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GcsStorageProfile PROFILE = new GcsStorageProfile("lake", "wh", "analytics", null, true);
  private static final List<Map<String, String>> exchanges = new CopyOnWriteArrayList<>();
  private static final AtomicInteger issued = new AtomicInteger();
  private static HttpServer google;
  private static KeyPair serviceAccountKey;
  private static Optional<Secret> secret;
  private static GcsCredentialVendor vendor;

  @BeforeAll
  static void startTokenEndpoints() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    serviceAccountKey = generator.generateKeyPair();
    google = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    google.createContext("/token", GcsCredentialVendorTest::serviceAccountGrant);
    google.createContext("/v1/token", GcsCredentialVendorTest::tokenExchange);
    google.start();
    int port = google.getAddress().getPort();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(serviceAccountKey.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> key = new HashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "analytics");
    key.put("private_key_id", "k1");
    key.put("private_key", pem);
    key.put("client_email", "floe@analytics.iam.gserviceaccount.com");
    key.put("client_id", "1");
    key.put("token_uri", "http://127.0.0.1:" + port + "/token");
    secret = Optional.of(new Secret(Map.of("service-account-key", JSON.writeValueAsString(key))));
    // every request, including the exchange at sts.googleapis.com, goes to the loopback stand-in
    HttpTransportFactory transport =
        () ->
            new NetHttpTransport.Builder()
                .setConnectionFactory(
                    url -> (HttpURLConnection) URI.create("http://127.0.0.1:" + port + url.getPath()).toURL().openConnection())
                .build();
    vendor = new GcsCredentialVendor(transport);
  }

  @AfterAll
  static void stop() {
    google.stop(0);
  }

  @Test
  void readersGetATokenBoundToTheTablePrefixWithViewerPermissions() throws Exception {
    VendedCredentials vended =
        vendor.vend(PROFILE, secret, List.of("gs://lake/wh/ns/t"), AccessLevel.READ, Duration.ofHours(1));
    Map<String, String> exchange = exchanges.get(exchanges.size() - 1);
    assertThat(exchange)
        .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
        .containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
        .containsEntry("requested_token_type", "urn:ietf:params:oauth:token-type:access_token")
        .containsEntry("subject_token", "service-account-token");
    JsonNode rules = JSON.readTree(exchange.get("options")).path("accessBoundary").path("accessBoundaryRules");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).path("availableResource").asText())
        .isEqualTo("//storage.googleapis.com/projects/_/buckets/lake");
    assertThat(rules.get(0).path("availablePermissions").get(0).asText()).isEqualTo("inRole:roles/storage.objectViewer");
    assertThat(rules.get(0).path("availablePermissions")).hasSize(1);
    assertThat(rules.get(0).path("availabilityCondition").path("expression").asText())
        .isEqualTo("resource.name.startsWith('projects/_/buckets/lake/objects/wh/ns/t/')"
            + " || api.getAttribute('storage.googleapis.com/objectListPrefix', '').startsWith('wh/ns/t/')");

    assertThat(vended.config().get("gcs.oauth2.token")).isEqualTo("downscoped-" + issued.get());
    assertThat(vended.config()).containsEntry("gcs.project-id", "analytics");
    long expiresAt = Long.parseLong(vended.config().get("gcs.oauth2.token-expires-at"));
    assertThat(expiresAt).isBetween(Instant.now().plusSeconds(3500).toEpochMilli(), Instant.now().plusSeconds(3601).toEpochMilli());
    assertThat(vended.refreshEndpointProperty()).isEqualTo("gcs.oauth2.refresh-credentials-endpoint");
    assertThat(vended.config().values()).noneMatch(value -> value.contains("PRIVATE KEY"));
  }

  @Test
  void writersGetObjectUserAndEveryPathOfTheTable() throws Exception {
    vendor.vend(PROFILE, secret, List.of("gs://lake/wh/ns/t", "gs://lake/data/t"), AccessLevel.READ_WRITE, Duration.ofHours(1));
    JsonNode rule =
        JSON.readTree(exchanges.get(exchanges.size() - 1).get("options")).path("accessBoundary").path("accessBoundaryRules").get(0);
    assertThat(rule.path("availablePermissions").get(0).asText()).isEqualTo("inRole:roles/storage.objectUser");
    assertThat(rule.path("availabilityCondition").path("expression").asText())
        .contains("startsWith('projects/_/buckets/lake/objects/wh/ns/t/')")
        .contains("startsWith('projects/_/buckets/lake/objects/data/t/')")
        .contains("objectListPrefix', '').startsWith('data/t/')");
  }

  @Test
  void refusesLocationsInOtherBuckets() {
    assertThatThrownBy(
            () -> vendor.vend(PROFILE, secret, List.of("gs://elsewhere/wh/ns/t"), AccessLevel.READ, Duration.ofHours(1)))
        .isInstanceOf(BadRequestException.class);
  }

  /** Google's OAuth endpoint for service accounts: a JWT signed with the account's key. */
  private static void serviceAccountGrant(HttpExchange exchange) throws IOException {
    Map<String, String> form = HttpExchanges.form(exchange);
    String[] jwt = form.getOrDefault("assertion", "").split("\\.");
    boolean valid = false;
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initVerify(serviceAccountKey.getPublic());
      signature.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
      valid = signature.verify(Base64.getUrlDecoder().decode(jwt[2]));
    } catch (Exception e) {
      valid = false;
    }
    if (!valid || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
      HttpExchanges.replyJson(exchange, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    HttpExchanges.replyJson(exchange, 200, "{\"access_token\":\"service-account-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
  }

  /** Google's STS token exchange, which answers with a downscoped token. */
  private static void tokenExchange(HttpExchange exchange) throws IOException {
    exchanges.add(HttpExchanges.form(exchange));
    HttpExchanges.replyJson(
        exchange,
        200,
        "{\"access_token\":\"downscoped-" + issued.incrementAndGet() + "\","
            + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\","
            + "\"token_type\":\"Bearer\",\"expires_in\":3600}");
  }


}
