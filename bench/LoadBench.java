import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load generator that speaks the Iceberg REST API only, so that it measures any catalog the
 * same way. Run with a JDK 21+ source launcher:
 *
 * <pre>java bench/LoadBench.java --uri http://127.0.0.1:8181 --warehouse demo --name floe</pre>
 *
 * Prints one Markdown table row per (operation, clients): throughput and p50/p99 latency.
 * Every loop is bounded in time; the target is loopback only.
 */
public final class LoadBench {
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
          + "{\"id\":2,\"name\":\"data\",\"required\":false,\"type\":\"string\"}]}";
  private static final Pattern PREFIX = Pattern.compile("\"prefix\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern LAST_SEQUENCE = Pattern.compile("\"last-sequence-number\"\\s*:\\s*(\\d+)");
  private static final Pattern CURRENT_SNAPSHOT = Pattern.compile("\"current-snapshot-id\"\\s*:\\s*(-?\\d+)");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();
  private final String base;
  private final String name;
  private final Duration duration;
  private final String ns;
  private String only;
  /** A bearer token sent with every request, for a server with authentication on. */
  private static String token;
  /** Seconds of load before each measurement: long enough, the JIT is done compiling. */
  private static int warmup = 2;

  private LoadBench(String uri, String warehouse, String name, Duration duration) throws Exception {
    this.name = name;
    this.duration = duration;
    String config = send("GET", uri + "/v1/config?warehouse=" + URLEncoder.encode(warehouse, StandardCharsets.UTF_8), null, 200);
    Matcher prefix = PREFIX.matcher(config);
    this.base = uri + "/v1" + (prefix.find() ? "/" + prefix.group(1) : "");
    this.ns = "bench_" + Long.toHexString(System.nanoTime());
  }

  public static void main(String[] args) throws Exception {
    String uri = "http://127.0.0.1:8181";
    String warehouse = "demo";
    String name = "catalog";
    int seconds = 5;
    List<Integer> clients = List.of(1, 8, 64);
    boolean history = false;
    boolean credentials = false;
    String only = null;
    String creates = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--uri" -> uri = args[++i];
        case "--warehouse" -> warehouse = args[++i];
        case "--name" -> name = args[++i];
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        case "--history" -> history = true;
        case "--credentials" -> credentials = true;
        case "--only" -> only = args[++i];
        case "--creates" -> creates = args[++i];
        case "--token" -> token = args[++i];
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (!URI.create(uri).getHost().matches("127\\.0\\.0\\.1|localhost|\\[?::1\\]?")) {
      throw new IllegalArgumentException("the benchmark only targets loopback, not " + uri);
    }
    LoadBench bench = new LoadBench(uri, warehouse, name, Duration.ofSeconds(seconds));
    bench.only = only;
    bench.setUp(clients.stream().mapToInt(Integer::intValue).max().orElse(1));
    if (creates != null) {
      bench.creates(creates, clients);
    } else if (history) {
      bench.history(uri);
    } else if (credentials) {
      bench.credentials(uri);
    } else {
      bench.run(clients);
    }
  }

  private void setUp(int tables) throws Exception {
    send("POST", base + "/namespaces", "{\"namespace\":[\"" + ns + "\"]}", 200);
    for (int i = 0; i < tables; i++) {
      createTable("t" + i);
    }
    createTable("hot");
    addSnapshots("t0", 10);
  }

  private void run(List<Integer> levels) throws Exception {
    System.out.println("| catalog | operation | clients | ops/s | p50 ms | p99 ms | errors |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    for (int clients : levels) {
      measure("loadTable", clients, (client, n) -> send("GET", table("t0"), null, 200));
    }
    for (int clients : levels) {
      measure("listTables", clients, (client, n) -> send("GET", base + "/namespaces/" + ns + "/tables", null, 200));
    }
    for (int clients : levels) {
      measure("commit (own table)", clients, (client, n) -> commitProperty("t" + client, "k", Long.toString(n)));
    }
    for (int clients : levels) {
      measure("commit (one table)", clients, (client, n) -> commitProperty("hot", "c" + client, Long.toString(n)));
    }
    for (int clients : levels) {
      measure(
          "create+drop",
          clients,
          (client, n) -> {
            String table = "cd_" + client + "_" + n;
            createTable(table);
            send("DELETE", table(table), null, 204);
          });
    }
  }

  /**
   * Table creates only (no drops), a new table each time, in this run's namespace: the label
   * says what the warehouse holds around them. Prints one row per client count.
   */
  private void creates(String label, List<Integer> levels) throws Exception {
    System.out.println("| catalog | warehouse | clients | creates/s | p50 ms | p99 ms | errors |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    for (int clients : levels) {
      AtomicLong errors = new AtomicLong();
      List<long[]> samples = new ArrayList<>();
      String run = Long.toString(System.nanoTime(), 36);
      long start = System.nanoTime();
      long count = runFor(clients, duration, (client, n) -> createTable("c_" + run + "_" + client + "_" + n), samples, errors);
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      System.out.printf(
          Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %d |%n",
          name, label, clients, count / seconds,
          all.length == 0 ? 0 : all[all.length / 2] / 1e6,
          all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1e6,
          errors.get());
    }
  }

  /** Commit latency as the table's history grows; the catalog's own metrics give the database share. */
  private void history(String uri) throws Exception {
    System.out.println("| catalog | snapshots | commit p50 ms | commit mean ms | database mean ms | database share |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    createTable("history");
    int have = 0;
    for (int target : new int[] {10, 500, 5000}) {
      while (have < target) {
        int batch = Math.min(250, target - have);
        addSnapshots("history", batch);
        have += batch;
      }
      double[] before = storeCommitSeconds(uri);
      int commits = 40;
      long[] latencies = new long[commits];
      for (int i = 0; i < commits; i++) {
        long start = System.nanoTime();
        commitProperty("history", "k", Integer.toString(i));
        latencies[i] = System.nanoTime() - start;
      }
      double[] after = storeCommitSeconds(uri);
      Arrays.sort(latencies);
      double mean = Arrays.stream(latencies).average().orElse(0) / 1e6;
      String database = "n/a";
      String share = "n/a";
      if (before != null && after != null && after[1] > before[1]) {
        double databaseMean = (after[0] - before[0]) / (after[1] - before[1]) * 1000;
        database = String.format(Locale.ROOT, "%.2f", databaseMean);
        share = String.format(Locale.ROOT, "%.0f%%", 100 * databaseMean / mean);
      }
      System.out.printf(
          Locale.ROOT, "| %s | %d | %.2f | %.2f | %s | %s |%n",
          name, target, latencies[commits / 2] / 1e6, mean, database, share);
    }
  }

  /**
   * loadTable at 8 clients with and without vended credentials (five alternating rounds after a
   * discarded one, medians), the
   * credential cache's hit rate meanwhile, and the cold path: a table's first load with vended
   * credentials, which waits for one STS round trip, against its second.
   */
  private void credentials(String uri) throws Exception {
    String vended = sendWith("GET", table("t0"), "vended-credentials");
    if (!vended.contains("\"storage-credentials\"")) {
      throw new IllegalStateException("the warehouse vends no credentials: " + vended.substring(0, Math.min(200, vended.length())));
    }
    // one discarded round of each, so that the JIT has compiled both paths before any is measured
    throughput(8, (client, n) -> send("GET", table("t" + client), null, 200));
    throughput(8, (client, n) -> sendWith("GET", table("t" + client), "vended-credentials"));
    System.out.println("| round | loadTable ops/s | loadTable + vended credentials ops/s | ratio |");
    System.out.println("|---:|---:|---:|---:|");
    int rounds = 5;
    double[] plain = new double[rounds];
    double[] withCredentials = new double[rounds];
    double[] before = cacheGets(uri);
    for (int round = 0; round < rounds; round++) {
      plain[round] = throughput(8, (client, n) -> send("GET", table("t" + client), null, 200));
      withCredentials[round] = throughput(8, (client, n) -> sendWith("GET", table("t" + client), "vended-credentials"));
      System.out.printf(
          Locale.ROOT, "| %d | %.0f | %.0f | %.2f |%n",
          round + 1, plain[round], withCredentials[round], plain[round] / withCredentials[round]);
    }
    double[] after = cacheGets(uri);
    Arrays.sort(plain);
    Arrays.sort(withCredentials);
    System.out.printf(
        Locale.ROOT, "| median | %.0f | %.0f | %.2f |%n%n",
        plain[rounds / 2], withCredentials[rounds / 2], plain[rounds / 2] / withCredentials[rounds / 2]);
    double hits = after[0] - before[0];
    double misses = after[1] - before[1];
    System.out.printf(
        Locale.ROOT, "credential cache during the vended rounds: %.0f hits, %.0f misses, hit rate %.4f%%%n%n",
        hits, misses, 100 * hits / Math.max(1, hits + misses));
    int tables = 20;
    long[] cold = new long[tables];
    long[] warm = new long[tables];
    for (int i = 0; i < tables; i++) {
      createTable("cold" + i);
      send("GET", table("cold" + i), null, 200);
      long start = System.nanoTime();
      sendWith("GET", table("cold" + i), "vended-credentials");
      cold[i] = System.nanoTime() - start;
      start = System.nanoTime();
      sendWith("GET", table("cold" + i), "vended-credentials");
      warm[i] = System.nanoTime() - start;
    }
    Arrays.sort(cold);
    Arrays.sort(warm);
    System.out.println("| path | loads | p50 ms | max ms |");
    System.out.println("|---|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| cold (cache miss: one STS AssumeRole) | %d | %.2f | %.2f |%n", tables, cold[tables / 2] / 1e6, cold[tables - 1] / 1e6);
    System.out.printf(Locale.ROOT, "| warm (cache hit) | %d | %.2f | %.2f |%n", tables, warm[tables / 2] / 1e6, warm[tables - 1] / 1e6);
  }

  private double throughput(int clients, Operation body) throws Exception {
    runFor(clients, Duration.ofSeconds(2), body, new ArrayList<>(), new AtomicLong());
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long count = runFor(clients, duration, body, new ArrayList<>(), errors);
    if (errors.get() > 0) {
      throw new IllegalStateException(errors.get() + " failed requests");
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** {hits, misses} of Floe's credential cache. */
  private double[] cacheGets(String uri) throws Exception {
    String metrics = send("GET", uri + "/metrics", null, 200);
    double[] result = new double[2];
    String[] kinds = {"hit", "miss"};
    for (int i = 0; i < 2; i++) {
      Matcher matcher =
          Pattern.compile("cache_gets_total\\{cache=\"credential\",result=\"" + kinds[i] + "\"\\} ([0-9.E]+)").matcher(metrics);
      result[i] = matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
    return result;
  }

  /** {sum, count} of Floe's database time per table commit, or null for catalogs without it. */
  private double[] storeCommitSeconds(String uri) {
    try {
      String metrics = send("GET", uri + "/metrics", null, 200);
      Matcher sum = Pattern.compile("floe_store_operation_seconds_sum\\{operation=\"commit-tables\"\\} ([0-9.E-]+)").matcher(metrics);
      Matcher count = Pattern.compile("floe_store_operation_seconds_count\\{operation=\"commit-tables\"\\} ([0-9.E-]+)").matcher(metrics);
      if (sum.find() && count.find()) {
        return new double[] {Double.parseDouble(sum.group(1)), Double.parseDouble(count.group(1))};
      }
    } catch (Exception e) {
      // not Floe
    }
    return null;
  }

  @FunctionalInterface
  private interface Operation {
    void run(int client, long iteration) throws Exception;
  }

  private void measure(String operation, int clients, Operation body) throws Exception {
    if (only != null && !operation.equals(only)) {
      return;
    }
    // warm up, then measure for the configured duration
    runFor(clients, Duration.ofSeconds(warmup), body, new ArrayList<>(), new AtomicLong());
    List<long[]> samples = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long count = runFor(clients, duration, body, samples, errors);
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] all = samples.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
    double p50 = all.length == 0 ? 0 : all[all.length / 2] / 1e6;
    double p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6;
    System.out.printf(
        Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %d |%n",
        name, operation, clients, count / seconds, p50, p99, errors.get());
  }

  private long runFor(int clients, Duration length, Operation body, List<long[]> samples, AtomicLong errors)
      throws Exception {
    long deadline = System.nanoTime() + length.toNanos();
    AtomicLong total = new AtomicLong();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(
            pool.submit(
                () -> {
                  long[] latencies = new long[1 << 16];
                  int n = 0;
                  while (System.nanoTime() < deadline && n < latencies.length) {
                    long begin = System.nanoTime();
                    try {
                      body.run(client, n);
                      latencies[n++] = System.nanoTime() - begin;
                      total.incrementAndGet();
                    } catch (Exception e) {
                      errors.incrementAndGet();
                      n++;
                    }
                  }
                  return Arrays.copyOf(latencies, n);
                }));
      }
      for (Future<long[]> future : futures) {
        samples.add(future.get());
      }
    }
    return total.get();
  }

  private void createTable(String table) throws Exception {
    send("POST", base + "/namespaces/" + ns + "/tables", "{\"name\":\"" + table + "\",\"schema\":" + SCHEMA + "}", 200);
  }

  private String table(String table) {
    return base + "/namespaces/" + ns + "/tables/" + table;
  }

  private void commitProperty(String table, String key, String value) throws Exception {
    send(
        "POST",
        table(table),
        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"" + key + "\":\"" + value + "\"}}]}",
        200);
  }

  /** Appends snapshots (metadata only, with made-up manifest lists) in one commit. */
  private void addSnapshots(String table, int count) throws Exception {
    String metadata = send("GET", table(table), null, 200);
    Matcher sequence = LAST_SEQUENCE.matcher(metadata);
    Matcher current = CURRENT_SNAPSHOT.matcher(metadata);
    long lastSequence = sequence.find() ? Long.parseLong(sequence.group(1)) : 0;
    long parent = current.find() ? Long.parseLong(current.group(1)) : -1;
    StringBuilder updates = new StringBuilder();
    long now = System.currentTimeMillis();
    long id = parent;
    for (int i = 0; i < count; i++) {
      long snapshotId = Math.abs(System.nanoTime() * 31 + i) % Long.MAX_VALUE;
      if (updates.length() > 0) {
        updates.append(',');
      }
      updates.append("{\"action\":\"add-snapshot\",\"snapshot\":{\"snapshot-id\":").append(snapshotId)
          .append(id > 0 ? ",\"parent-snapshot-id\":" + id : "")
          .append(",\"sequence-number\":").append(lastSequence + i + 1)
          .append(",\"timestamp-ms\":").append(now + i)
          .append(",\"manifest-list\":\"file:/tmp/floe-bench/snap-").append(snapshotId).append(".avro\"")
          .append(",\"summary\":{\"operation\":\"append\",\"added-data-files\":\"1\"},\"schema-id\":0}}");
      updates.append(",{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\",\"snapshot-id\":")
          .append(snapshotId).append('}');
      id = snapshotId;
    }
    send("POST", table(table), "{\"requirements\":[],\"updates\":[" + updates + "]}", 200);
  }

  private String sendWith(String method, String url, String delegation) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("X-Iceberg-Access-Delegation", delegation)
            .header("Authorization", token == null ? "" : "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private String send(String method, String url, String body, int expected) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
