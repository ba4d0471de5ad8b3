package io.floe.spi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The Keycloak that the test command starts ({@code FLOE_TEST_KEYCLOAK_URL}), driven through its
 * admin REST API: realms (each an issuer of its own), confidential clients whose client-credentials
 * tokens name an audience, key rotation, and tokens from the token endpoint.
 */
public final class Keycloak {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url;

  public Keycloak(String url) {
    this.url = url;
  }

  /** The Keycloak of the test command; fails with a clear message outside it. */
  public static Keycloak fromEnvironment() {
    String url = System.getenv("FLOE_TEST_KEYCLOAK_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("FLOE_TEST_KEYCLOAK_URL is not set: run the tests through scripts/test.sh, which starts Keycloak");
    }
    return new Keycloak(url);
  }

  /** A new realm with a unique name; returns its issuer URI. */
  public String createRealm(String prefix) {
    String realm = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    admin("POST", "/admin/realms", Map.of("realm", realm, "enabled", true));
    return issuer(realm);
  }

  public String issuer(String realm) {
    return url + "/realms/" + realm;
  }

  /**
   * A confidential client with a service account; its tokens name {@code audience} (none when
   * null) and live {@code lifetimeSeconds} (the realm's default when 0).
   */
  public void createClient(String issuer, String clientId, String secret, String audience, int lifetimeSeconds) {
    StringBuilder body = new StringBuilder();
    body.append("{\"clientId\":\"").append(clientId).append("\",\"secret\":\"").append(secret)
        .append("\",\"serviceAccountsEnabled\":true,\"publicClient\":false,\"standardFlowEnabled\":false");
    if (lifetimeSeconds > 0) {
      body.append(",\"attributes\":{\"access.token.lifespan\":\"").append(lifetimeSeconds).append("\"}");
    }
    if (audience != null) {
      body.append(",\"protocolMappers\":[{\"name\":\"audience\",\"protocol\":\"openid-connect\",")
          .append("\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"")
          .append(audience).append("\",\"access.token.claim\":\"true\"}}]");
    }
    body.append('}');
    send("POST", "/admin/realms/" + realm(issuer) + "/clients", body.toString());
  }

  /** A public client that lets users sign in with their password (for tests only), tokens naming {@code audience}. */
  public void createPasswordClient(String issuer, String clientId, String audience) {
    send(
        "POST",
        "/admin/realms/" + realm(issuer) + "/clients",
        "{\"clientId\":\"" + clientId + "\",\"publicClient\":true,\"directAccessGrantsEnabled\":true,"
            + "\"standardFlowEnabled\":false,\"protocolMappers\":[{\"name\":\"audience\",\"protocol\":\"openid-connect\","
            + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"" + audience
            + "\",\"access.token.claim\":\"true\"}}]}");
  }

  /** A user with a password, an e-mail address and a full name. */
  public void createUser(String issuer, String username, String email, String firstName, String lastName, String password) {
    send(
        "POST",
        "/admin/realms/" + realm(issuer) + "/users",
        "{\"username\":\"" + username + "\",\"email\":\"" + email + "\",\"firstName\":\"" + firstName
            + "\",\"lastName\":\"" + lastName + "\",\"enabled\":true,\"emailVerified\":true,"
            + "\"credentials\":[{\"type\":\"password\",\"value\":\"" + password + "\",\"temporary\":false}]}");
  }

  /** An access token for a user, through a password client. */
  public String userToken(String issuer, String clientId, String username, String password) {
    String form =
        form(Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password));
    return read(post(issuer + "/protocol/openid-connect/token", form, null)).get("access_token").asText();
  }

  /** Adds a new RSA signing key that outranks the realm's others: later tokens use it. */
  public void rotateSigningKey(String issuer) {
    String realm = realm(issuer);
    String realmId = admin("GET", "/admin/realms/" + realm, null).get("id").asText();
    String body =
        "{\"name\":\"rotated-" + UUID.randomUUID().toString().substring(0, 6) + "\",\"providerId\":\"rsa-generated\","
            + "\"providerType\":\"org.keycloak.keys.KeyProvider\",\"parentId\":\"" + realmId + "\","
            + "\"config\":{\"priority\":[\"1000\"],\"keySize\":[\"2048\"],\"active\":[\"true\"],\"enabled\":[\"true\"]}}";
    send("POST", "/admin/realms/" + realm + "/components", body);
  }

  /** An access token for a client, from the realm's token endpoint (client credentials). */
  public String token(String issuer, String clientId, String secret) {
    String form =
        form(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    HttpResponse<String> response = post(issuer + "/protocol/openid-connect/token", form, null);
    return read(response).get("access_token").asText();
  }

  private static String realm(String issuer) {
    return issuer.substring(issuer.lastIndexOf('/') + 1);
  }

  private JsonNode admin(String method, String path, Map<String, Object> body) {
    try {
      return send(method, path, body == null ? null : JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode send(String method, String path, String body) {
    String token = adminToken();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return read(exchange(request.build()));
  }

  private String adminToken() {
    String form = form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"));
    return read(post(url + "/realms/master/protocol/openid-connect/token", form, null)).get("access_token").asText();
  }

  private HttpResponse<String> post(String target, String form, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return exchange(request.build());
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(HttpResponse<String> response) {
    if (response.statusCode() >= 300) {
      throw new IllegalStateException("Keycloak answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
