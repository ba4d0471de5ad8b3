import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long events take from their change to a NATS subscriber: subscribes to Floe's subjects for
 * a while and prints, for every event received, the time from the event's {@code time} (set as
 * the change is made, before its commit) to its arrival.
 *
 *   java -cp jnats.jar bench/EventLag.java --nats nats://127.0.0.1:4222 --seconds 20
 */
public final class EventLag {
  private static final Pattern TIME = Pattern.compile("\"time\"\\s*:\\s*\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String url = null;
    int seconds = 20;
    String subject = "floe.>";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nats" -> url = args[++i];
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--subject" -> subject = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<Long> lags = Collections.synchronizedList(new ArrayList<>());
    try (Connection connection = Nats.connect(url)) {
      Dispatcher dispatcher =
          connection.createDispatcher(
              message -> {
                long now = System.currentTimeMillis();
                Matcher time = TIME.matcher(new String(message.getData(), StandardCharsets.UTF_8));
                if (time.find()) {
                  lags.add(now - Instant.parse(time.group(1)).toEpochMilli());
                }
              });
      dispatcher.subscribe(subject);
      System.err.println("listening on " + subject);
      Thread.sleep(Duration.ofSeconds(seconds));
    }
    List<Long> sorted = new ArrayList<>(lags);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      System.out.println("events 0");
      return;
    }
    System.out.printf(
        "events %d p50 %d p99 %d max %d%n",
        sorted.size(), sorted.get(sorted.size() / 2), sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)),
        sorted.get(sorted.size() - 1));
  }
}
