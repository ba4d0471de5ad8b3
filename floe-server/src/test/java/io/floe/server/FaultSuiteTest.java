package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.server.embedded.EmbeddedPostgres;
import io.floe.server.testing.TempDirectories;
import io.floe.store.postgres.testing.FaultProxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real faults under load: three Floe servers (separate processes) over one PostgreSQL behind a
 * TCP proxy, clients appending to shared tables through all of them, while the proxy cuts
 * connections at COMMIT and at random, stalls them, PostgreSQL restarts, and one server is
 * killed with SIGKILL. Afterwards every acknowledged commit is in its table's history exactly
 * once, no current metadata file is missing, no client mistake got a 5xx, and service came back
 * within 5 s of the database. The figures are printed on a line starting with "FAULT SUITE".
 */
class FaultSuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
  private static final int TABLES = 3;
  private static final int CLIENTS = 6;
  private static Path work;
  private static EmbeddedPostgres postgres;
  private static int postgresPort;
  private static Path postgresDir;
  private static FaultProxy proxy;
  private static final List<Server> servers = new ArrayList<>();
  private static String prefix;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  /** A Floe server in its own process. */
  private record Server(int port, Process process, Path log) {
    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("floe-faults");
    work.toFile().setExecutable(true, false);
    work.toFile().setReadable(true, false);
    postgresDir = work.resolve("postgres");
    postgresPort = freePort();
    postgres = EmbeddedPostgres.start(postgresDir, postgresPort);
    proxy = FaultProxy.forJdbcUrl(postgres.jdbcUrl());
    String secretKey =
        java.util.Base64.getEncoder().encodeToString(java.security.SecureRandom.getInstanceStrong().generateSeed(32));
    for (int i = 0; i < 3; i++) {
      int port = freePort();
      Path log = work.resolve("floe-" + i + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.floe.server.Main",
                  "serve")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      environment.put("FLOE_PORT", Integer.toString(port));
      environment.put("FLOE_DATABASE_URL", proxy.route(postgres.jdbcUrl()));
      environment.put("FLOE_DATABASE_USER", postgres.user());
      environment.put("FLOE_DATABASE_PASSWORD", postgres.password());
      environment.put("FLOE_DATABASE_CONNECT_TIMEOUT_SECONDS", "2");
      environment.put("FLOE_DATA_DIR", work.resolve("floe-data").toString());
      environment.put("FLOE_SECRET_KEYS", "1:" + secretKey);
      environment.put("FLOE_POINTER_CACHE_HEARTBEAT_MILLIS", "250");
      servers.add(new Server(port, builder.start(), log));
      if (i == 0) {
        awaitReady(servers.get(0), Duration.ofSeconds(60)); // the first one migrates the schema
      }
    }
    for (Server server : servers) {
      awaitReady(server, Duration.ofSeconds(60));
    }
    String config = send(servers.get(0), "GET", "/v1/config?warehouse=demo", null, null).body();
    prefix = "/v1/" + JSON.readTree(config).at("/overrides/prefix").asText();
    assertThat(send(servers.get(0), "POST", prefix + "/namespaces", "{\"namespace\":[\"faults\"]}", null).statusCode())
        .isEqualTo(200);
    for (int t = 0; t < TABLES; t++) {
      HttpResponse<String> created =
          send(servers.get(0), "POST", prefix + "/namespaces/faults/tables", "{\"name\":\"t" + t + "\",\"schema\":" + SCHEMA + "}", null);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (Server server : servers) {
      server.process().destroy();
    }
    for (Server server : servers) {
      server.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      server.process().destroyForcibly();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (work != null) {
      TempDirectories.delete(work);
    }
  }

  /** What the clients saw. */
  private static final class Figures {
    final AtomicLong attempted = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong stateUnknown = new AtomicLong();
    final AtomicLong unresolved = new AtomicLong();
    final AtomicLong clientMistakes = new AtomicLong();
    final AtomicLong clientMistakes5xx = new AtomicLong();
    final List<String> clientMistakeAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Answers no valid request should get: a 4xx other than a conflict. */
    final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Acknowledged snapshot ids, by table. */
    final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
  }

  @Test
  void noAcknowledgedCommitIsLostOrCorrupted() throws Exception {
    Figures figures = new Figures();
    Set<Server> dead = ConcurrentHashMap.newKeySet();
    long end = System.nanoTime() + Duration.ofSeconds(32).toNanos();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      clients.add(Thread.ofPlatform().name("fault-client-" + c).start(() -> runClient(client, end, dead, figures)));
    }

    // phase 1: connections cut at COMMIT (before it reaches the server, or with its answer lost) and at random
    proxy.failCommitsAtRandom(0.08);
    Thread.sleep(4_000);
    proxy.cutAll();
    Thread.sleep(2_000);
    proxy.stallAll(true);
    Thread.sleep(1_500);
    proxy.stallAll(false);
    Thread.sleep(2_000);
    proxy.failCommitsAtRandom(0);

    // phase 2: PostgreSQL restarts under load
    postgres.close();
    Thread.sleep(1_000);
    postgres = EmbeddedPostgres.start(postgresDir, postgresPort);
    long back = System.nanoTime();
    double[] recovery = new double[servers.size()];
    for (int i = 0; i < servers.size(); i++) {
      recovery[i] = secondsUntilServing(servers.get(i), back);
    }

    // phase 3: one server is killed (SIGKILL) while the others go on
    Thread.sleep(3_000);
    Server victim = servers.get(2);
    dead.add(victim);
    victim.process().destroyForcibly();
    victim.process().waitFor();

    // phase 4: faults again, then calm
    Thread.sleep(3_000);
    proxy.failCommitsAtRandom(0.05);
    Thread.sleep(4_000);
    proxy.failCommitsAtRandom(0);
    for (Thread client : clients) {
      client.join(Duration.ofSeconds(90));
      assertThat(client.isAlive()).as("client finished").isFalse();
    }

    long lost = 0;
    long duplicated = 0;
    int missingFiles = 0;
    for (int t = 0; t < TABLES; t++) {
      JsonNode table = JSON.readTree(awaitOk(servers.get(0), prefix + "/namespaces/faults/tables/t" + t).body());
      List<Long> ids = new ArrayList<>();
      table.at("/metadata/snapshots").forEach(snapshot -> ids.add(snapshot.get("snapshot-id").asLong()));
      Set<Long> present = new HashSet<>(ids);
      duplicated += ids.size() - present.size();
      for (long id : figures.acked.getOrDefault("t" + t, Set.of())) {
        if (!present.contains(id)) {
          lost++;
        }
      }
      // the history is one chain: every snapshot's parent is the one before it
      Long parent = null;
      for (JsonNode snapshot : table.at("/metadata/snapshots")) {
        JsonNode parentId = snapshot.get("parent-snapshot-id");
        assertThat(parentId == null ? null : parentId.asLong()).isEqualTo(parent);
        parent = snapshot.get("snapshot-id").asLong();
      }
      if (!Files.exists(Path.of(URI.create(table.get("metadata-location").asText())))) {
        missingFiles++;
      }
      for (JsonNode entry : table.at("/metadata/metadata-log")) {
        if (!Files.exists(Path.of(URI.create(entry.get("metadata-file").asText())))) {
          missingFiles++;
        }
      }
    }
    // another server, that never saw the faults' answers, agrees
    for (int t = 0; t < TABLES; t++) {
      assertThat(awaitOk(servers.get(1), prefix + "/namespaces/faults/tables/t" + t).body())
          .isEqualTo(awaitOk(servers.get(0), prefix + "/namespaces/faults/tables/t" + t).body());
    }
    System.out.printf(
        "FAULT SUITE: %d commits attempted, %d acknowledged, %d conflicts (409, not applied), %d answered"
            + " state-unknown at first and resolved by retry, %d still unknown, lost %d, duplicated %d,"
            + " missing metadata files %d, COMMITs cut %d of %d, client mistakes %d (5xx: %d),"
            + " service back after the database restart in %.2f / %.2f / %.2f s%n",
        figures.attempted.get(), figures.acknowledged.get(), figures.conflicts.get(), figures.stateUnknown.get(),
        figures.unresolved.get(), lost, duplicated, missingFiles, proxy.commitsCut(), proxy.commitsSeen(),
        figures.clientMistakes.get(), figures.clientMistakes5xx.get(), recovery[0], recovery[1], recovery[2]);
    assertThat(figures.unexpected).as("answers no valid request should get").isEmpty();
    assertThat(lost).as("acknowledged commits lost").isZero();
    assertThat(duplicated).as("commits applied twice").isZero();
    assertThat(missingFiles).as("metadata files named by a table but missing").isZero();
    assertThat(figures.clientMistakes5xx.get()).as("client mistakes answered 5xx: " + figures.clientMistakeAnswers).isZero();
    assertThat(figures.acknowledged.get()).as("commits acknowledged").isPositive();
    assertThat(proxy.commitsCut()).as("COMMITs cut").isPositive();
    for (double seconds : recovery) {
      assertThat(seconds).as("seconds until served after the database is back").isLessThan(5.0);
    }
  }

  /**
   * Appends to random tables until the deadline, as an Iceberg client would: a conflict (409)
   * means not applied, so it reloads and tries again; no answer or a 5xx means unknown, so it
   * sends the same request with the same Idempotency-Key until it gets a definite answer.
   */
  private static void runClient(int client, long end, Set<Server> dead, Figures figures) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (System.nanoTime() < end) {
      String table = "t" + random.nextInt(TABLES);
      String path = prefix + "/namespaces/faults/tables/" + table;
      if (random.nextInt(20) == 0) {
        clientMistake(alive(dead, random), path, figures);
        continue;
      }
      JsonNode loaded;
      try {
        HttpResponse<String> load = send(alive(dead, random), "GET", path, null, null);
        if (load.statusCode() != 200) {
          pause(50);
          continue;
        }
        loaded = JSON.readTree(load.body());
      } catch (IOException | RuntimeException e) {
        pause(50);
        continue;
      }
      JsonNode metadata = loaded.get("metadata");
      long parent = metadata.path("current-snapshot-id").asLong(-1);
      long snapshotId = random.nextLong(1, Long.MAX_VALUE);
      String body = append(metadata, parent, snapshotId);
      String key = UUID.randomUUID().toString();
      figures.attempted.incrementAndGet();
      boolean unknown = false;
      long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        int status;
        try {
          status = send(alive(dead, random), "POST", path, body, key).statusCode();
        } catch (IOException | RuntimeException e) {
          status = -1; // no answer
        }
        if (status == 200) {
          figures.acknowledged.incrementAndGet();
          figures.acked.computeIfAbsent(table, k -> ConcurrentHashMap.newKeySet()).add(snapshotId);
          if (unknown) {
            figures.stateUnknown.incrementAndGet();
          }
          break;
        }
        if (status == 409) {
          figures.conflicts.incrementAndGet();
          break;
        }
        if (status >= 400 && status < 500) {
          figures.unexpected.add("client " + client + ": " + status + " for a valid append to " + table);
          break;
        }
        unknown = true;
        if (System.nanoTime() > giveUp) {
          figures.unresolved.incrementAndGet();
          break;
        }
        pause(100);
      }
    }
  }

  /** Requests that are the client's mistake, whatever state the database is in. */
  private static void clientMistake(Server server, String path, Figures figures) {
    String[][] mistakes = {
      {"POST", path, "{\"requirements\":[],\"updates\":[{\"action\":\"no-such-action\"}]}"},
      {"POST", path, "{not json"},
      {"GET", path + "?snapshots=sometimes", null},
      {"GET", prefix + "/namespaces?pageSize=0", null},
      {"POST", prefix + "/namespaces", "{\"namespace\":[\"a\\u0000b\"]}"},
    };
    String[] mistake = mistakes[ThreadLocalRandom.current().nextInt(mistakes.length)];
    try {
      HttpResponse<String> response = send(server, mistake[0], mistake[1], mistake[2], null);
      figures.clientMistakes.incrementAndGet();
      if (response.statusCode() >= 500) {
        figures.clientMistakes5xx.incrementAndGet();
        figures.clientMistakeAnswers.add(mistake[0] + " " + mistake[1] + " -> " + response.statusCode() + " " + response.body());
      }
    } catch (IOException | RuntimeException e) {
      // the server is down: not an answer
    }
  }

  private static String append(JsonNode metadata, long parent, long snapshotId) {
    long sequence = metadata.path("last-sequence-number").asLong(0) + 1;
    String location = metadata.get("location").asText();
    return "{\"requirements\":[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":"
        + (parent < 0 ? "null" : parent) + "}],\"updates\":[{\"action\":\"add-snapshot\",\"snapshot\":{"
        + "\"snapshot-id\":" + snapshotId + (parent < 0 ? "" : ",\"parent-snapshot-id\":" + parent)
        + ",\"sequence-number\":" + sequence + ",\"timestamp-ms\":" + System.currentTimeMillis()
        + ",\"manifest-list\":\"" + location + "/metadata/snap-" + snapshotId + ".avro\""
        + ",\"summary\":{\"operation\":\"append\"},\"schema-id\":0}},"
        + "{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\",\"snapshot-id\":" + snapshotId + "}]}";
  }

  private static Server alive(Set<Server> dead, ThreadLocalRandom random) {
    List<Server> alive = servers.stream().filter(server -> !dead.contains(server)).toList();
    return alive.get(random.nextInt(alive.size()));
  }

  private static HttpResponse<String> send(Server server, String method, String path, String body, String key)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Seconds from {@code since} until the server answers a load from the database. */
  private static double secondsUntilServing(Server server, long since) throws Exception {
    long deadline = since + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        // a list always reads the database
        if (send(server, "GET", prefix + "/namespaces/faults/tables", null, null).statusCode() == 200) {
          return (System.nanoTime() - since) / 1e9;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(50);
    }
    return Double.POSITIVE_INFINITY;
  }

  private static HttpResponse<String> awaitOk(Server server, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = null;
    while (System.nanoTime() < deadline) {
      try {
        response = send(server, "GET", path, null, null);
        if (response.statusCode() == 200) {
          return response;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no 200 for " + path + ": " + (response == null ? "no answer" : response.body()));
  }

  private static void awaitReady(Server server, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (send(server, "GET", "/health/ready", null, null).statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      }
      if (!server.process().isAlive()) {
        throw new AssertionError("Floe exited: " + Files.readString(server.log()));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Floe did not get ready: " + Files.readString(server.log()));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
