package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import io.floe.spi.testing.Keycloak;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With an OpenID provider configured (a real Keycloak), every route but health and metrics needs
 * a valid bearer token; a missing or bad one gets 401 with WWW-Authenticate, and the reason is
 * logged but never the token.
 */
class AuthenticationTest {
  private static Keycloak keycloak;
  private static String issuer;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    keycloak = Keycloak.fromEnvironment();
    issuer = keycloak.createRealm("floe-http");
    keycloak.createClient(issuer, "spark", "spark-secret", "floe", 0);
    keycloak.createClient(issuer, "elsewhere", "elsewhere-secret", "other-service", 0);
    keycloak.createPasswordClient(issuer, "cli", "floe");
    keycloak.createUser(issuer, "ann", "ann@example.com", "Ann", "Lake", "ann-password");
    server = TestServer.start(Map.of("FLOE_OPENID_PROVIDER_URI", issuer, "FLOE_OPENID_AUDIENCE", "floe"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aValidTokenIsServedAndTheConfigSaysWhereTokensComeFrom() {
    HttpResponse<String> config = get("/v1/config?warehouse=demo", "Bearer " + keycloak.token(issuer, "spark", "spark-secret"));
    assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
    assertThat(config.body()).contains("\"oauth2-server-uri\":\"" + issuer + "/protocol/openid-connect/token\"");
  }

  @Test
  void noTokenGets401WithAChallenge() {
    HttpResponse<String> response = get("/v1/config?warehouse=demo", null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"floe\"");
    assertThat(response.body()).contains("\"type\":\"NotAuthorizedException\"").contains("Missing bearer token");
    assertThat(get("/v1/whatever/namespaces", null).statusCode()).isEqualTo(401);
  }

  @Test
  void badTokensGet401AndTheReasonIsLoggedButNeverTheToken() {
    String foreign = keycloak.token(issuer, "elsewhere", "elsewhere-secret");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> wrongAudience = get("/v1/config?warehouse=demo", "Bearer " + foreign);
      assertThat(wrongAudience.statusCode()).isEqualTo(401);
      assertThat(wrongAudience.headers().firstValue("WWW-Authenticate").orElseThrow())
          .startsWith("Bearer realm=\"floe\", error=\"invalid_token\"");
      assertThat(get("/v1/config?warehouse=demo", "Bearer not.a.jwt").statusCode()).isEqualTo(401);
      assertThat(get("/v1/config?warehouse=demo", "Basic c3Bhcms6c3Bhcmstc2VjcmV0").statusCode()).isEqualTo(401);
    } finally {
      System.setErr(original);
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("not authenticated").contains("aud claim rejected");
    assertThat(logged).doesNotContain(foreign).doesNotContain(foreign.split("\\.")[2]);
  }

  @Test
  void whoamiNamesTheCallerWhoIsThenFoundByNameOrEmail() throws Exception {
    String user = "Bearer " + keycloak.userToken(issuer, "cli", "ann", "ann-password");
    HttpResponse<String> me = get("/management/v1/whoami", user);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    com.fasterxml.jackson.databind.JsonNode ann = new com.fasterxml.jackson.databind.ObjectMapper().readTree(me.body());
    assertThat(ann.get("id").asText()).startsWith("oidc~");
    assertThat(ann.get("kind").asText()).isEqualTo("user");
    assertThat(ann.get("name").asText()).isEqualTo("Ann Lake");
    assertThat(ann.get("email").asText()).isEqualTo("ann@example.com");

    HttpResponse<String> service = get("/management/v1/whoami", "Bearer " + keycloak.token(issuer, "spark", "spark-secret"));
    assertThat(service.body()).contains("\"kind\":\"service-account\"");

    // recorded on first sight: searchable by a part of the name or of the e-mail address
    for (String search : new String[] {"ann", "EXAMPLE.COM", "lake"}) {
      HttpResponse<String> found = get("/management/v1/users?search=" + search, user);
      assertThat(found.statusCode()).isEqualTo(200);
      assertThat(found.body()).contains(ann.get("id").asText());
    }
    assertThat(get("/management/v1/users?search=nobody-like-this", user).body()).isEqualTo("{\"users\":[]}");
    assertThat(get("/management/v1/users", user).statusCode()).isEqualTo(400);
  }

  @Test
  void bootstrapMakesTheFirstCallerAdministratorOnce() {
    String service = "Bearer " + keycloak.token(issuer, "spark", "spark-secret");
    assertThat(post("/management/v1/bootstrap", service).statusCode()).isEqualTo(204);
    HttpResponse<String> again = post("/management/v1/bootstrap", "Bearer " + keycloak.userToken(issuer, "cli", "ann", "ann-password"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(post("/management/v1/bootstrap", null).statusCode()).isEqualTo(401);
  }

  @Test
  void healthAndMetricsNeedNoToken() {
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> post(String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri(path))).POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return server.send(request.build());
  }

  private static HttpResponse<String> get(String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri(path))).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return server.send(request.build());
  }
}
