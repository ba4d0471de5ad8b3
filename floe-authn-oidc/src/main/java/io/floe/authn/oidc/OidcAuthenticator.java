package io.floe.authn.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.floe.spi.auth.Authenticator;
import io.floe.spi.auth.Principal;
import io.floe.spi.error.UnauthenticatedException;
import io.floe.spi.error.UnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect bearer tokens, verified locally: each provider is found through its discovery
 * document, its signing keys are fetched from its JWKS and cached, and a token signed with a key
 * the cache does not know makes one refetch (rate-limited, so that forged key ids cannot make the
 * server hammer the provider). A token is routed to its provider by its issuer; its signature,
 * issuer, audience, expiry and not-before are checked. Several providers may be configured.
 */
public final class OidcAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(OidcAuthenticator.class);
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
          JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
  /** How long fetched signing keys are trusted before they are fetched again. */
  private static final Duration KEYS_LIFETIME = Duration.ofMinutes(10);
  /** The shortest time between two fetches caused by unknown key ids. */
  private static final Duration REFETCH_INTERVAL = Duration.ofSeconds(10);

  /**
   * One identity provider.
   *
   * @param name the prefix of its principals' ids ({@code name~subject}), e.g. {@code oidc}
   * @param issuer its issuer URI; discovery is at {@code /.well-known/openid-configuration} under it
   * @param audiences what a token's {@code aud} must contain (one of them); empty to accept any
   * @param subjectClaim the claim that names the caller, usually {@code sub}
   * @param rolesClaim the claim, possibly a dotted path such as {@code realm_access.roles}, that
   *     lists the caller's roles; null for none
   * @param clockSkew how far expiry and not-before may be off
   * @param kubernetes whether the issuer is a Kubernetes cluster, whose tokens name service accounts
   *     ({@code system:serviceaccount:<namespace>:<name>})
   */
  public record Provider(
      String name,
      String issuer,
      Set<String> audiences,
      String subjectClaim,
      String rolesClaim,
      Duration clockSkew,
      boolean kubernetes) {
    /** An OpenID provider that is not a Kubernetes cluster. */
    public Provider(
        String name, String issuer, Set<String> audiences, String subjectClaim, String rolesClaim, Duration clockSkew) {
      this(name, issuer, audiences, subjectClaim, rolesClaim, clockSkew, false);
    }

    public Provider {
      requireNonNull(name, "name is null");
      requireNonNull(issuer, "issuer is null");
      audiences = Set.copyOf(audiences);
      requireNonNull(subjectClaim, "subjectClaim is null");
      requireNonNull(clockSkew, "clockSkew is null");
    }
  }

  private final List<Verifier> verifiers;
  private final HttpClient http;

  public OidcAuthenticator(List<Provider> providers) {
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("no OpenID provider");
    }
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.verifiers = providers.stream().map(Verifier::new).toList();
  }

  @Override
  public Principal authenticate(String bearerToken) {
    if (bearerToken == null || bearerToken.isBlank()) {
      throw new UnauthenticatedException("Missing bearer token");
    }
    JWT jwt;
    JWTClaimsSet unverified;
    try {
      jwt = JWTParser.parse(bearerToken);
      unverified = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new UnauthenticatedException("Malformed bearer token: not a JWT");
    }
    String issuer = unverified.getIssuer();
    Verifier verifier = verifiers.stream().filter(v -> v.provider.issuer().equals(issuer)).findFirst().orElse(null);
    if (verifier == null) {
      // the issuer is the sender's own text: shown printable and short, never as it came
      throw new UnauthenticatedException("Token from an issuer this server does not trust: %s", printable(issuer));
    }
    JWTClaimsSet claims;
    try {
      claims = verifier.processor().process(jwt, null);
    } catch (KeySourceException e) {
      throw new UnavailableException(e, "Cannot fetch the signing keys of %s: %s", issuer, e.getMessage());
    } catch (BadJOSEException | com.nimbusds.jose.JOSEException e) {
      throw new UnauthenticatedException("Invalid token from %s: %s", issuer, e.getMessage());
    }
    return verifier.principal(claims);
  }

  @Override
  public Map<String, String> clientConfig() {
    // Iceberg clients fetch tokens with client credentials from here, and refresh them; a
    // Kubernetes cluster issues tokens to pods, not through an endpoint
    for (Verifier verifier : verifiers) {
      if (!verifier.provider.kubernetes() && verifier.discovery().tokenEndpoint() != null) {
        return Map.of("oauth2-server-uri", verifier.discovery().tokenEndpoint());
      }
    }
    return Map.of();
  }

  /** What a provider's discovery document says that matters here. */
  private record Discovery(String jwksUri, String tokenEndpoint) {}

  private final class Verifier {
    private final Provider provider;
    private volatile Discovery discovery;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    Verifier(Provider provider) {
      this.provider = provider;
    }

    Discovery discovery() {
      Discovery found = discovery;
      if (found == null) {
        synchronized (this) {
          if (discovery == null) {
            discovery = discover();
          }
          found = discovery;
        }
      }
      return found;
    }

    DefaultJWTProcessor<SecurityContext> processor() {
      DefaultJWTProcessor<SecurityContext> found = processor;
      if (found == null) {
        synchronized (this) {
          if (processor == null) {
            processor = build(discovery());
          }
          found = processor;
        }
      }
      return found;
    }

    private Discovery discover() {
      URI uri = URI.create(provider.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration");
      try {
        HttpResponse<String> response =
            http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new UnavailableException("OpenID discovery at %s answered %d", uri, response.statusCode());
        }
        Map<String, Object> document = JSONObjectUtils.parse(response.body());
        String issuer = JSONObjectUtils.getString(document, "issuer");
        if (!provider.issuer().equals(issuer)) {
          throw new UnavailableException(
              "OpenID discovery at %s names the issuer %s, not %s as configured", uri, issuer, provider.issuer());
        }
        String jwks = JSONObjectUtils.getString(document, "jwks_uri");
        if (jwks == null) {
          throw new UnavailableException("OpenID discovery at %s names no jwks_uri", uri);
        }
        Discovery found = new Discovery(jwks, JSONObjectUtils.getString(document, "token_endpoint"));
        LOG.info("OpenID provider {}: issuer {}, keys at {}", provider.name(), issuer, found.jwksUri());
        return found;
      } catch (IOException | ParseException e) {
        throw new UnavailableException(e, "Cannot read OpenID discovery at %s: %s", uri, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException(e, "Interrupted while reading OpenID discovery at %s", uri);
      }
    }

    private DefaultJWTProcessor<SecurityContext> build(Discovery discovery) {
      JWKSource<SecurityContext> keys;
      try {
        keys =
            JWKSourceBuilder.<SecurityContext>create(URI.create(discovery.jwksUri()).toURL())
                .cache(KEYS_LIFETIME.toMillis(), Duration.ofSeconds(15).toMillis())
                .rateLimited(REFETCH_INTERVAL.toMillis())
                .refreshAheadCache(false)
                .retrying(true)
                .build();
      } catch (java.net.MalformedURLException e) {
        throw new UnavailableException(e, "Invalid jwks_uri %s", discovery.jwksUri());
      }
      DefaultJWTProcessor<SecurityContext> built = new DefaultJWTProcessor<>();
      built.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
      built.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
      DefaultJWTClaimsVerifier<SecurityContext> claims =
          new DefaultJWTClaimsVerifier<>(
              provider.audiences().isEmpty() ? null : provider.audiences(),
              new JWTClaimsSet.Builder().issuer(provider.issuer()).build(),
              Set.of("iss", "exp", provider.subjectClaim()),
              null);
      claims.setMaxClockSkew((int) provider.clockSkew().toSeconds());
      built.setJWTClaimsSetVerifier(claims);
      return built;
    }

    Principal principal(JWTClaimsSet claims) {
      Object subject = claims.getClaim(provider.subjectClaim());
      if (provider.kubernetes()) {
        return serviceAccount(String.valueOf(subject));
      }
      String name = firstString(claims, "name", "preferred_username", "client_id", "azp");
      String email = firstString(claims, "email");
      String username = firstString(claims, "preferred_username");
      // a token minted for a client (client credentials) names no person: it has no e-mail, and
      // providers mark it (Keycloak: a service-account user; Entra ID: idtyp=app)
      boolean serviceAccount =
          email == null
              && ((username != null && username.startsWith("service-account-"))
                  || "app".equals(firstString(claims, "idtyp"))
                  || claims.getClaim("client_id") != null);
      return new Principal(
          provider.name() + "~" + subject,
          serviceAccount ? Principal.Kind.SERVICE_ACCOUNT : Principal.Kind.USER,
          name,
          email,
          roles(claims));
    }

    /** A Kubernetes service account: its subject is {@code system:serviceaccount:<namespace>:<name>}. */
    private Principal serviceAccount(String subject) {
      String[] parts = subject.split(":");
      if (parts.length != 4 || !parts[0].equals("system") || !parts[1].equals("serviceaccount")) {
        throw new UnauthenticatedException("Token from %s names no service account: %s", provider.issuer(), subject);
      }
      return new Principal(
          provider.name() + "~" + parts[2] + ":" + parts[3],
          Principal.Kind.KUBERNETES_SERVICE_ACCOUNT,
          parts[2] + "/" + parts[3],
          null,
          Set.of());
    }

    private Set<String> roles(JWTClaimsSet claims) {
      if (provider.rolesClaim() == null) {
        return Set.of();
      }
      Object value = claims.toJSONObject();
      for (String part : provider.rolesClaim().split("\\.")) {
        if (!(value instanceof Map<?, ?> map)) {
          return Set.of();
        }
        value = map.get(part);
      }
      Set<String> roles = new HashSet<>();
      if (value instanceof Collection<?> list) {
        list.forEach(role -> roles.add(String.valueOf(role)));
      } else if (value instanceof String text) {
        roles.addAll(List.of(text.split("[ ,]+")));
      }
      return roles;
    }
  }

  /** Text from an unverified token, fit for a log line and a header: printable ASCII, at most 200 characters. */
  static String printable(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  private static String firstString(JWTClaimsSet claims, String... names) {
    for (String name : names) {
      Object value = claims.getClaim(name);
      if (value instanceof String text && !text.isBlank()) {
        return text;
      }
    }
    return null;
  }

  /** The configured providers, for the log line at start. */
  public Map<String, String> describe() {
    Map<String, String> described = new LinkedHashMap<>();
    verifiers.forEach(v -> described.put(v.provider.name(), v.provider.issuer()));
    return described;
  }
}
