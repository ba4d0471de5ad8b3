package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.FaultProxy;
import io.floe.store.postgres.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The table-pointer cache of a server whose change listener is killed, stalled or starved of
 * notifications still serves another server's commit within its documented bound: three
 * heartbeats for a broken listener, the maximum entry age for lost notifications.
 */
class PointerCacheBoundTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static final long HEARTBEAT_MILLIS = 200;
  private static final long MAX_AGE_MILLIS = 2_000;
  /** Generous beside the bounds (0.6 s, 2 s): a loaded CI machine is slow, a stale cache is stale forever. */
  private static final long SLACK_MILLIS = 3_000;
  private static FaultProxy proxy;
  /** Reaches the database through the proxy: its listener is the one that breaks. */
  private static TestServer stale;
  private static TestServer writer;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabase.create();
    proxy = FaultProxy.forJdbcUrl(url);
    Map<String, String> cache =
        Map.of(
            "FLOE_POINTER_CACHE_HEARTBEAT_MILLIS", Long.toString(HEARTBEAT_MILLIS),
            "FLOE_POINTER_CACHE_MAX_AGE_SECONDS", Long.toString(MAX_AGE_MILLIS / 1000));
    java.util.HashMap<String, String> staleConfig = new java.util.HashMap<>(cache);
    staleConfig.put("FLOE_DATABASE_URL", proxy.route(url));
    stale = TestServer.start(staleConfig);
    java.util.HashMap<String, String> writerConfig = new java.util.HashMap<>(cache);
    writerConfig.put("FLOE_DATABASE_URL", url);
    writer = TestServer.start(writerConfig);
    prefix = "/v1/" + stale.demoPrefix();
  }

  @AfterAll
  static void stop() {
    writer.close();
    stale.close();
    proxy.close();
  }

  @AfterEach
  void heal() {
    proxy.stall(null);
    proxy.dropNotifications(null);
  }

  @Test
  void aKilledListenerConnection() throws Exception {
    String path = cachedTable();
    proxy.cut("floe-listener");
    assertThat(secondsUntilSeen(path, commitElsewhere(path))).isLessThan((3 * HEARTBEAT_MILLIS + SLACK_MILLIS) / 1e3);
  }

  @Test
  void aStalledListenerConnection() throws Exception {
    String path = cachedTable();
    proxy.stall("floe-listener");
    double seconds = secondsUntilSeen(path, commitElsewhere(path));
    assertThat(seconds).isLessThan((3 * HEARTBEAT_MILLIS + SLACK_MILLIS) / 1e3);
  }

  @Test
  void notificationsThatNeverArrive() throws Exception {
    proxy.dropNotifications("floe-listener");
    String path = cachedTable();
    String moved = commitElsewhere(path);
    double seconds = secondsUntilSeen(path, moved);
    assertThat(seconds).isLessThan((MAX_AGE_MILLIS + SLACK_MILLIS) / 1e3);
  }

  /** A new table, loaded through the stale server until its pointer is a cache hit. */
  private String cachedTable() throws Exception {
    String namespace = "bound_" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(writer.post(prefix + "/namespaces", "{\"namespace\":[\"" + namespace + "\"]}").statusCode()).isEqualTo(200);
    assertThat(writer.post(prefix + "/namespaces/" + namespace + "/tables", "{\"name\":\"t\",\"schema\":" + SCHEMA + "}")
            .statusCode())
        .isEqualTo(200);
    String path = prefix + "/namespaces/" + namespace + "/tables/t";
    for (int i = 0; i < 3; i++) {
      assertThat(stale.get(path).statusCode()).isEqualTo(200);
    }
    return path;
  }

  /** Commits through the other server; returns the new metadata location. */
  private static String commitElsewhere(String path) throws Exception {
    HttpResponse<String> response =
        writer.post(path, "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"" + UUID.randomUUID() + "\"}}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("metadata-location").asText();
  }

  /** Seconds until the stale server serves {@code location}; fails past a generous deadline. */
  private static double secondsUntilSeen(String path, String location) throws Exception {
    long start = System.nanoTime();
    long deadline = start + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = stale.get(path);
      if (response.statusCode() == 200 && JSON.readTree(response.body()).get("metadata-location").asText().equals(location)) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("stale server served the new pointer after %.3f s%n", seconds);
        return seconds;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the stale server never served " + location);
  }
}
