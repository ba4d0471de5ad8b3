import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long events took from their change to NATS: reads Floe's JetStream stream once the load is
 * over (so that no consumer competes with Floe for the CPU while it is measured) and prints, over
 * every event, the time from the event's {@code time} (set as the change is made, before its
 * commit) to the moment the stream stored it.
 *
 *   java -cp jnats.jar bench/EventLag.java --nats nats://127.0.0.1:4222 [--subject floe.>]
 */
public final class EventLag {
  private static final Pattern TIME = Pattern.compile("\"time\"\\s*:\\s*\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String url = null;
    String subject = "floe.>";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nats" -> url = args[++i];
        case "--subject" -> subject = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<Long> lags = new ArrayList<>();
    try (Connection connection = Nats.connect(url)) {
      JetStreamSubscription subscription =
          connection.jetStream().subscribe(subject, PushSubscribeOptions.builder().ordered(true).build());
      Message message;
      while ((message = subscription.nextMessage(Duration.ofSeconds(3))) != null) {
        Matcher time = TIME.matcher(new String(message.getData(), StandardCharsets.UTF_8));
        if (time.find()) {
          Instant stored = message.metaData().timestamp().toInstant();
          lags.add(Duration.between(Instant.parse(time.group(1)), stored).toMillis());
        }
        if (message.metaData().pendingCount() == 0) {
          break;
        }
      }
    }
    Collections.sort(lags);
    if (lags.isEmpty()) {
      System.out.println("events 0");
      return;
    }
    System.out.printf(
        "events %d p50 %d p99 %d max %d%n",
        lags.size(), lags.get(lags.size() / 2), lags.get((int) Math.min(lags.size() - 1, Math.ceil(lags.size() * 0.99) - 1)),
        lags.get(lags.size() - 1));
  }
}
