package io.floe.authn.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.auth.Principal;
import io.floe.spi.error.UnauthenticatedException;
import io.floe.spi.testing.Keycloak;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens from a real OpenID provider (Keycloak), verified locally. */
class OidcAuthenticatorTest {
  private static Keycloak keycloak;
  private static String issuer;

  @BeforeAll
  static void realm() {
    keycloak = Keycloak.fromEnvironment();
    issuer = keycloak.createRealm("floe");
    keycloak.createClient(issuer, "spark", "spark-secret", "floe", 0);
    keycloak.createClient(issuer, "elsewhere", "elsewhere-secret", "other-service", 0);
    keycloak.createClient(issuer, "brief", "brief-secret", "floe", 1);
  }

  private static OidcAuthenticator authenticator(Duration skew, OidcAuthenticator.Provider... more) {
    List<OidcAuthenticator.Provider> providers = new java.util.ArrayList<>();
    providers.add(new OidcAuthenticator.Provider("oidc", issuer, Set.of("floe"), "sub", "realm_access.roles", skew));
    providers.addAll(List.of(more));
    return new OidcAuthenticator(providers);
  }

  @Test
  void aGoodTokenNamesItsCaller() {
    Principal caller = authenticator(Duration.ofSeconds(60)).authenticate(keycloak.token(issuer, "spark", "spark-secret"));
    assertThat(caller.id()).startsWith("oidc~").hasSizeGreaterThan("oidc~".length());
    assertThat(caller.kind()).isEqualTo(Principal.Kind.SERVICE_ACCOUNT);
    assertThat(caller.roles()).anyMatch(role -> role.startsWith("default-roles-"));
    // the same caller gets the same id every time
    assertThat(authenticator(Duration.ofSeconds(60)).authenticate(keycloak.token(issuer, "spark", "spark-secret")).id())
        .isEqualTo(caller.id());
    assertThat(authenticator(Duration.ofSeconds(60)).clientConfig())
        .containsEntry("oauth2-server-uri", issuer + "/protocol/openid-connect/token");
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    String token = keycloak.token(issuer, "brief", "brief-secret");
    OidcAuthenticator strict = authenticator(Duration.ZERO);
    Thread.sleep(2_500);
    assertThatThrownBy(() -> strict.authenticate(token))
        .isInstanceOf(UnauthenticatedException.class)
        .hasMessageContaining("Expired")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    String token = keycloak.token(issuer, "elsewhere", "elsewhere-secret");
    assertThatThrownBy(() -> authenticator(Duration.ofSeconds(60)).authenticate(token))
        .isInstanceOf(UnauthenticatedException.class)
        .hasMessageContaining("aud claim rejected");
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() {
    String foreign = keycloak.createRealm("foreign");
    keycloak.createClient(foreign, "spark", "spark-secret", "floe", 0);
    String token = keycloak.token(foreign, "spark", "spark-secret");
    assertThatThrownBy(() -> authenticator(Duration.ofSeconds(60)).authenticate(token))
        .isInstanceOf(UnauthenticatedException.class)
        .hasMessageContaining("does not trust");
  }

  @Test
  void aSecondProviderIsTrustedForItsOwnTokens() {
    String second = keycloak.createRealm("second");
    keycloak.createClient(second, "spark", "spark-secret", "floe", 0);
    OidcAuthenticator both =
        authenticator(
            Duration.ofSeconds(60),
            new OidcAuthenticator.Provider("partner", second, Set.of("floe"), "sub", null, Duration.ofSeconds(60)));
    assertThat(both.authenticate(keycloak.token(issuer, "spark", "spark-secret")).id()).startsWith("oidc~");
    assertThat(both.authenticate(keycloak.token(second, "spark", "spark-secret")).id()).startsWith("partner~");
  }

  @Test
  void aRotatedSigningKeyIsFetchedOnce() {
    String rotating = keycloak.createRealm("rotating");
    keycloak.createClient(rotating, "spark", "spark-secret", "floe", 0);
    OidcAuthenticator authenticator =
        new OidcAuthenticator(
            List.of(new OidcAuthenticator.Provider("oidc", rotating, Set.of("floe"), "sub", null, Duration.ofSeconds(60))));
    String before = keycloak.token(rotating, "spark", "spark-secret");
    assertThat(authenticator.authenticate(before).id()).startsWith("oidc~");
    keycloak.rotateSigningKey(rotating);
    String after = keycloak.token(rotating, "spark", "spark-secret");
    assertThat(kid(after)).isNotEqualTo(kid(before));
    // the new key id is not in the cached key set: one refetch finds it
    assertThat(authenticator.authenticate(after).id()).startsWith("oidc~");
  }

  @Test
  void missingMalformedAndTamperedTokensAreRefused() {
    OidcAuthenticator authenticator = authenticator(Duration.ofSeconds(60));
    assertThatThrownBy(() -> authenticator.authenticate(null)).isInstanceOf(UnauthenticatedException.class).hasMessage("Missing bearer token");
    assertThatThrownBy(() -> authenticator.authenticate("not-a-jwt")).isInstanceOf(UnauthenticatedException.class);
    String token = keycloak.token(issuer, "spark", "spark-secret");
    String[] parts = token.split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    assertThatThrownBy(() -> authenticator.authenticate(tampered))
        .isInstanceOf(UnauthenticatedException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(parts[2]));
  }

  @Test
  void kubernetesServiceAccountsArePrincipalsOfTheirOwnKind() throws Exception {
    try (KubernetesIssuer cluster = new KubernetesIssuer()) {
      OidcAuthenticator both =
          authenticator(
              Duration.ofSeconds(60),
              new OidcAuthenticator.Provider(
                  "kubernetes", cluster.issuer(), Set.of("floe"), "sub", null, Duration.ofSeconds(60), true));
      Principal pod = both.authenticate(cluster.token("analytics", "spark-driver", "floe"));
      assertThat(pod.id()).isEqualTo("kubernetes~analytics:spark-driver");
      assertThat(pod.kind()).isEqualTo(Principal.Kind.KUBERNETES_SERVICE_ACCOUNT);
      assertThat(pod.name()).isEqualTo("analytics/spark-driver");
      assertThatThrownBy(() -> both.authenticate(cluster.token("analytics", "spark-driver", "kubernetes")))
          .isInstanceOf(UnauthenticatedException.class)
          .hasMessageContaining("aud claim rejected");
      // OpenID tokens still go to their own provider, and the config names its token endpoint
      assertThat(both.authenticate(keycloak.token(issuer, "spark", "spark-secret")).kind())
          .isEqualTo(Principal.Kind.SERVICE_ACCOUNT);
      assertThat(both.clientConfig()).containsEntry("oauth2-server-uri", issuer + "/protocol/openid-connect/token");
    }
  }

  @Test
  void anUnverifiedIssuerIsQuotedPrintableAndShort() throws Exception {
    String forged =
        new com.nimbusds.jwt.PlainJWT(
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("evil\r\nX-Injected: 1" + "x".repeat(500)).subject("s").build())
            .serialize();
    assertThatThrownBy(() -> authenticator(Duration.ofSeconds(60)).authenticate(forged))
        .isInstanceOf(UnauthenticatedException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n").hasSizeLessThan(300));
    // an unsigned token from the trusted issuer is refused too
    String unsigned =
        new com.nimbusds.jwt.PlainJWT(
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(issuer).subject("s").audience("floe")
                    .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build())
            .serialize();
    assertThatThrownBy(() -> authenticator(Duration.ofSeconds(60)).authenticate(unsigned))
        .isInstanceOf(UnauthenticatedException.class);
  }

  private static String kid(String token) {
    try {
      return com.nimbusds.jwt.JWTParser.parse(token).getHeader().toJSONObject().get("kid").toString();
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }
}
