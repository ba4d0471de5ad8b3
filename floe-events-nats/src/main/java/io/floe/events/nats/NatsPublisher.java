package io.floe.events.nats;

import static java.util.Objects.requireNonNull;

import io.floe.spi.events.EventPublisher;
import io.floe.spi.events.OutboxEvent;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to NATS JetStream, each acknowledged by the stream before it counts as
 * delivered. The event id is the message id, so JetStream drops a redelivered event within its
 * duplicate window; consumers de-duplicate beyond it by the same id. Connects lazily: a server
 * that is down when Floe starts only delays delivery.
 */
public final class NatsPublisher implements EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(NatsPublisher.class);
  private static final String PREFIX = "io.floe.";
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

  private final NatsConfig config;
  private Connection connection;
  private JetStream jetStream;

  public NatsPublisher(NatsConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  public String name() {
    return "nats";
  }

  @Override
  public synchronized int publish(List<OutboxEvent> events) throws Exception {
    JetStream js = jetStream();
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>(events.size());
    for (OutboxEvent event : events) {
      Headers headers = new Headers().add("Content-Type", "application/cloudevents+json");
      PublishOptions options = PublishOptions.builder().messageId(event.id().toString()).build();
      acks.add(js.publishAsync(subject(event), headers, event.json().getBytes(StandardCharsets.UTF_8), options));
    }
    // one connection keeps the order it was given: the first refused or unanswered event ends the run
    int taken = 0;
    for (CompletableFuture<PublishAck> ack : acks) {
      try {
        ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        taken++;
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("NATS did not take event {} of {}: {}", taken + 1, events.size(), e.toString());
        break;
      }
    }
    return taken;
  }

  String subject(OutboxEvent event) {
    String type = event.type().startsWith(PREFIX) ? event.type().substring(PREFIX.length()) : event.type();
    String scope = event.warehouse() == null ? "server" : event.warehouse().value().toString();
    return config.subjectPrefix() + "." + scope + "." + type;
  }

  private JetStream jetStream() throws IOException, InterruptedException, JetStreamApiException {
    if (connection != null && connection.getStatus() == Connection.Status.CLOSED) {
      connection = null;
      jetStream = null;
    }
    if (jetStream != null) {
      return jetStream;
    }
    Options.Builder options =
        new Options.Builder()
            .server(config.url())
            .connectionName("floe")
            .connectionTimeout(Duration.ofSeconds(5))
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(500))
            // jnats reports to stderr by default: a broker that is down is noted once per run instead
            .errorListener(
                new io.nats.client.ErrorListener() {
                  @Override
                  public void exceptionOccurred(Connection conn, Exception exp) {
                    LOG.debug("NATS: {}", exp.toString());
                  }
                });
    if (config.token() != null) {
      options.token(config.token().toCharArray());
    }
    if (config.user() != null) {
      options.userInfo(config.user().toCharArray(), config.password() == null ? new char[0] : config.password().toCharArray());
    }
    if (config.credentialsFile() != null) {
      options.authHandler(Nats.credentials(config.credentialsFile()));
    }
    Connection opened = Nats.connect(options.build());
    try {
      if (config.stream() != null) {
        ensureStream(opened.jetStreamManagement());
      }
      jetStream = opened.jetStream();
      connection = opened;
      LOG.info("events: connected to {}", config);
      return jetStream;
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  private void ensureStream(JetStreamManagement management) throws IOException, JetStreamApiException {
    try {
      management.getStreamInfo(config.stream());
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != 404) {
        throw e;
      }
      management.addStream(
          StreamConfiguration.builder()
              .name(config.stream())
              .subjects(config.subjectPrefix() + ".>")
              .storageType(StorageType.File)
              .duplicateWindow(Duration.ofMinutes(2))
              .build());
      LOG.info("events: created JetStream stream {} over {}.>", config.stream(), config.subjectPrefix());
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      connection = null;
      jetStream = null;
    }
  }
}
