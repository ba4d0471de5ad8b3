package io.floe.events.nats;

import static java.util.Objects.requireNonNull;

import java.util.Map;

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

  /**
   * From the server's settings: {@code FLOE_EVENTS_NATS_URL}, {@code _SUBJECT_PREFIX}, {@code
   * _STREAM} ({@code none}: managed elsewhere), {@code _TOKEN}, {@code _USER}, {@code _PASSWORD} and
   * {@code _CREDENTIALS_FILE}.
   */
  public static NatsConfig from(Map<String, String> settings) {
    String stream = settings.get("FLOE_EVENTS_NATS_STREAM");
    return new NatsConfig(
        settings.get("FLOE_EVENTS_NATS_URL"), settings.getOrDefault("FLOE_EVENTS_NATS_SUBJECT_PREFIX", "floe"),
        stream == null || stream.equals("none") ? null : stream, settings.get("FLOE_EVENTS_NATS_TOKEN"),
        settings.get("FLOE_EVENTS_NATS_USER"), settings.get("FLOE_EVENTS_NATS_PASSWORD"),
        settings.get("FLOE_EVENTS_NATS_CREDENTIALS_FILE"));
  }

  @Override
  public String toString() {
    return "NATS[" + url + ", subjects " + subjectPrefix + ".>" + (stream == null ? "" : ", stream " + stream) + "]";
  }
}
