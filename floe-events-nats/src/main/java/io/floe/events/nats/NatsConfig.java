package io.floe.events.nats;

import static java.util.Objects.requireNonNull;

/**
 * Where events go in NATS.
 *
 * @param url the server (or a comma-separated list), e.g. {@code nats://nats:4222}
 * @param subjectPrefix events are published on {@code <prefix>.<warehouse id or "server">.<type>}
 *     (the type without {@code io.floe.}), e.g. {@code floe.8c1d….table.committed}
 * @param stream the JetStream stream Floe creates over {@code <prefix>.>} when it is missing, or
 *     null when the stream is managed elsewhere
 * @param token, user, password, credentialsFile how to authenticate, when the server asks
 */
public record NatsConfig(
    String url, String subjectPrefix, String stream, String token, String user, String password, String credentialsFile) {
  public NatsConfig {
    requireNonNull(url, "url is null");
    requireNonNull(subjectPrefix, "subjectPrefix is null");
  }

  @Override
  public String toString() {
    return "NATS[" + url + ", subjects " + subjectPrefix + ".>" + (stream == null ? "" : ", stream " + stream) + "]";
  }
}
