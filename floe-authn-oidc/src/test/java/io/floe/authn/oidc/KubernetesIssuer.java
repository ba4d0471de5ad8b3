package io.floe.authn.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.floe.spi.testing.HttpExchanges;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * A loopback stand-in for a Kubernetes API server's service-account issuer: the standard discovery
 * document and JWKS a cluster serves (ServiceAccountIssuerDiscovery), and projected service-account
 * tokens shaped as the kubelet's (subject, audience, the {@code kubernetes.io} claim). No
 * kube-apiserver is built here; docs/api.md says so.
 */
final class KubernetesIssuer implements AutoCloseable {
  private final HttpServer server;
  private final RSAKey key;
  private final String issuer;

  KubernetesIssuer() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k8s-" + System.nanoTime()).generate();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/.well-known/openid-configuration",
        exchange ->
            HttpExchanges.replyJson(
                exchange, 200,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/openid/v1/jwks\","
                    + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
    server.createContext(
        "/openid/v1/jwks",
        exchange -> HttpExchanges.replyJson(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
    server.start();
  }

  String issuer() {
    return issuer;
  }

  /** A projected token of {@code namespace/serviceAccount} for {@code audience}. */
  String token(String namespace, String serviceAccount, String audience) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject("system:serviceaccount:" + namespace + ":" + serviceAccount)
            .audience(List.of(audience))
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(600)))
            .claim(
                "kubernetes.io",
                Map.of("namespace", namespace, "serviceaccount", Map.of("name", serviceAccount, "uid", "0f6c1d2e")))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
