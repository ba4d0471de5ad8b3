package io.floe.storage.adls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.testing.HttpExchanges;
import io.floe.spi.storage.VendedCredentials;
import io.floe.storage.adls.AdlsStorageProfile;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A warehouse whose credential is a service principal, not the account key: Floe signs in to
 * Microsoft Entra ID with the client secret (here a loopback stand-in for Entra ID's token
 * endpoint, over TLS), writes through ADLSFileIO with the token, and vends user-delegation SAS
 * tokens that Azurite (HTTPS, OAuth) checks: accepted on the warehouse's filesystem, refused on
 * another's and after they expire.
 */
class AdlsIdentityTest {
  private static final String TENANT = "3f2a8c51-6d0e-4b7a-9c1d-2e5f7a9b0c3d";
  private static final String CLIENT = "floe-catalog";
  private static final String CLIENT_SECRET = "client-secret-" + UUID.randomUUID();
  private static final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
  private static HttpsServer entra;
  private static String endpoint;
  private static String account;
  private static Optional<Secret> secret;
  private static String filesystemA;
  private static String filesystemB;

  @BeforeAll
  static void start() throws Exception {
    endpoint = System.getenv("FLOE_TEST_AZURITE_OAUTH_ENDPOINT");
    assumeTrue(endpoint != null, "FLOE_TEST_AZURITE_OAUTH_ENDPOINT is not set: run scripts/test.sh");
    account = System.getenv("FLOE_TEST_AZURITE_ACCOUNT");
    entra = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    entra.setHttpsConfigurator(new HttpsConfigurator(serverContext(System.getenv("FLOE_TEST_TLS_DIR") + "/server.p12")));
    entra.createContext("/", AdlsIdentityTest::token);
    entra.start();
    secret =
        Optional.of(
            new Secret(
                Map.of(
                    "type", "azure-client-secret",
                    "tenant-id", TENANT,
                    "client-id", CLIENT,
                    "client-secret", CLIENT_SECRET,
                    "authority-host", "https://127.0.0.1:" + entra.getAddress().getPort())));
    filesystemA = "idfs-a-" + UUID.randomUUID().toString().substring(0, 8);
    filesystemB = "idfs-b-" + UUID.randomUUID().toString().substring(0, 8);
    DataLakeServiceClient service = asIdentity();
    service.createFileSystem(filesystemA);
    service.createFileSystem(filesystemB);
  }

  @AfterAll
  static void stop() {
    if (entra != null) {
      entra.stop(0);
    }
  }

  @Test
  void identityWritesThroughAdlsFileIOAndVendsUserDelegationSas() throws Exception {
    AdlsStorageProfile profile = profile(filesystemA);
    String table = "abfss://" + filesystemA + "@" + account + ".dfs.core.windows.net/lake/ns/t";
    try (FileIO io = new AdlsFileIOFactory().fileIO(profile, secret)) {
      try (OutputStream out = io.newOutputFile(table + "/metadata/v1.metadata.json").createOrOverwrite()) {
        out.write("{\"format-version\":2}".getBytes(StandardCharsets.UTF_8));
      }
      try (InputStream in = io.newInputFile(table + "/metadata/v1.metadata.json").newStream()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("format-version");
      }
    }
    assertThat(tokenRequests).isNotEmpty().allSatisfy(request -> {
      assertThat(request)
          .containsEntry("client_id", CLIENT)
          .containsEntry("client_secret", CLIENT_SECRET)
          .containsEntry("grant_type", "client_credentials");
      assertThat(request.get("scope")).contains("https://storage.azure.com/.default");
    });

    VendedCredentials vended =
        new AdlsCredentialVendor(Clock.systemUTC())
            .vend(profile, secret, List.of(table), AccessLevel.READ, Duration.ofSeconds(5));
    String token = vended.config().get("adls.sas-token." + account + ".dfs.core.windows.net");
    Map<String, String> sas = query(token);
    // a user-delegation SAS names the identity whose key signed it
    assertThat(sas).containsKeys("skoid", "sktid", "skt", "ske", "sks", "skv").containsEntry("sktid", TENANT)
        .containsEntry("sr", "c").containsEntry("sp", "rl");
    assertThat(vended.config().values()).noneMatch(value -> value.contains(CLIENT_SECRET));

    String blob = "lake/ns/t/metadata/v1.metadata.json";
    assertThat(withSas(token, filesystemA).getBlobClient(blob).downloadContent().toString()).contains("format-version");
    assertDenied(() -> withSas(token, filesystemA).getBlobClient("lake/ns/t/data/x.parquet").upload(
        com.azure.core.util.BinaryData.fromString("x")));
    assertDenied(() -> withSas(token, filesystemB).listBlobs().iterator().hasNext());
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), vended.expiresAt()).toMillis() + 1500));
    assertDenied(() -> withSas(token, filesystemA).getBlobClient(blob).downloadContent());
  }

  private static AdlsStorageProfile profile(String filesystem) {
    return new AdlsStorageProfile(account, filesystem, "lake", null, endpoint, false, true, null);
  }

  private static DataLakeServiceClient asIdentity() {
    return new DataLakeServiceClientBuilder()
        .endpoint(endpoint)
        .credential(AdlsAuth.identity(secret.get().values()))
        .buildClient();
  }

  private static BlobContainerClient withSas(String token, String filesystem) {
    return new BlobServiceClientBuilder().endpoint(endpoint).sasToken(token).buildClient().getBlobContainerClient(filesystem);
  }

  private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(BlobStorageException.class)
        .satisfies(e -> assertThat(((BlobStorageException) e).getStatusCode()).isEqualTo(403));
  }

  /**
   * Entra ID's token endpoint for the client-credentials grant. The token is what Azurite's
   * "basic" OAuth checks: issuer, audience and lifetime (not the signature).
   */
  private static void token(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!path.equals("/" + TENANT + "/oauth2/v2.0/token")) {
      HttpExchanges.replyJson(exchange, 404, "{\"error\":\"not_found\",\"error_description\":\"" + path + "\"}");
      return;
    }
    Map<String, String> form = HttpExchanges.form(exchange);
    tokenRequests.add(form);
    if (!CLIENT_SECRET.equals(form.get("client_secret"))) {
      HttpExchanges.replyJson(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    long now = Instant.now().getEpochSecond();
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        base64.encodeToString(
            ("{\"aud\":\"https://storage.azure.com\",\"iss\":\"https://sts.windows.net/" + TENANT + "/\","
                    + "\"iat\":" + now + ",\"nbf\":" + (now - 60) + ",\"exp\":" + (now + 3600) + ","
                    + "\"oid\":\"6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\",\"tid\":\"" + TENANT + "\",\"appid\":\"" + CLIENT + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    String jwt = header + "." + claims + "." + base64.encodeToString(new byte[32]);
    HttpExchanges.replyJson(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"ext_expires_in\":3600,\"access_token\":\"" + jwt + "\"}");
  }



  private static Map<String, String> query(String sas) {
    Map<String, String> parameters = new HashMap<>();
    for (String pair : sas.split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static SSLContext serverContext(String keyStorePath) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keyStorePath)) {
      keys.load(in, "floe-test".toCharArray());
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, "floe-test".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }
}
