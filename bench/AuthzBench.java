import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Listings with OpenFGA on, for a caller who sees a little of a big catalog: the first page of a
 * namespace of 10,000 tables of which the caller may see 100, and all the namespaces of a
 * warehouse of 1,000 of which it sees 10. Prints latencies with a cold decision cache (each
 * request after the cache lifetime) and a warm one, and the OpenFGA requests each made.
 *
 *   java bench/AuthzBench.java --uri U --warehouse PREFIX --admin-token A --viewer-token V
 *       --viewer-id ID --cache-seconds S
 */
public final class AuthzBench {
  private static final Pattern COUNTER = Pattern.compile("(?m)^floe_openfga_requests_total\\S* ([0-9.eE+]+)$");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String uri;
  private final String prefix;
  private final String admin;
  private final String viewer;
  private final String viewerId;
  private final int cacheSeconds;

  private AuthzBench(String uri, String prefix, String admin, String viewer, String viewerId, int cacheSeconds) {
    this.uri = uri;
    this.prefix = prefix;
    this.admin = admin;
    this.viewer = viewer;
    this.viewerId = viewerId;
    this.cacheSeconds = cacheSeconds;
  }

  public static void main(String[] args) throws Exception {
    String uri = null, prefix = null, admin = null, viewer = null, viewerId = null;
    int cache = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--uri" -> uri = args[++i];
        case "--warehouse" -> prefix = args[++i];
        case "--admin-token" -> admin = args[++i];
        case "--viewer-token" -> viewer = args[++i];
        case "--viewer-id" -> viewerId = args[++i];
        case "--cache-seconds" -> cache = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (!URI.create(uri).getHost().matches("127\\.0\\.0\\.1|localhost")) {
      throw new IllegalArgumentException("the benchmark only targets loopback, not " + uri);
    }
    new AuthzBench(uri, prefix, admin, viewer, viewerId, cache).run();
  }

  private void run() throws Exception {
    long start = System.nanoTime();
    send("POST", "/v1/" + prefix + "/namespaces", "{\"namespace\":[\"big\"]}", admin, 200);
    parallel(10_000, i -> send("POST", "/v1/" + prefix + "/namespaces/big/tables", table(name(i)), admin, 200));
    parallel(1_000, i -> send("POST", "/v1/" + prefix + "/namespaces", "{\"namespace\":[\"ns" + String.format("%04d", i) + "\"]}", admin, 200));
    // the viewer may see every 100th table of big, and every 100th namespace
    parallel(100, i -> grant("table", id("/namespaces/big/tables/" + name(i * 100))));
    parallel(10, i -> grant("namespace", id("/namespaces/ns" + String.format("%04d", i * 100))));
    System.out.printf("set up 10,000 tables in one namespace, 1,000 namespaces and 110 grants in %.0f s%n",
        (System.nanoTime() - start) / 1e9);

    System.out.println();
    System.out.println("| listing (viewer sees 1%) | cache | requests | min ms | median ms | max ms | items | OpenFGA requests per listing |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    String tables = "/v1/" + prefix + "/namespaces/big/tables?pageSize=100";
    measure("listTables, first page of 10,000", tables, false, 5, Pattern.compile("\"name\""));
    measure("listTables, first page of 10,000", tables, true, 30, Pattern.compile("\"name\""));
    String namespaces = "/v1/" + prefix + "/namespaces";
    measure("listNamespaces, all of 1,001", namespaces, false, 5, Pattern.compile("\\[\"[^\"]+\"\\]"));
    measure("listNamespaces, all of 1,001", namespaces, true, 30, Pattern.compile("\\[\"[^\"]+\"\\]"));
  }

  private void measure(String label, String path, boolean warm, int runs, Pattern item) throws Exception {
    List<Double> millis = new ArrayList<>();
    int items = 0;
    double before = openFgaRequests();
    if (warm) {
      send("GET", path, null, viewer, 200);
      before = openFgaRequests();
    }
    for (int i = 0; i < runs; i++) {
      if (!warm) {
        Thread.sleep(cacheSeconds * 1000L + 300);
      }
      long t = System.nanoTime();
      String body = send("GET", path, null, viewer, 200);
      millis.add((System.nanoTime() - t) / 1e6);
      Matcher matcher = item.matcher(body);
      items = 0;
      while (matcher.find()) {
        items++;
      }
    }
    double calls = (openFgaRequests() - before) / runs;
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf("| %s | %s | %d | %.1f | %.1f | %.1f | %d | %.1f |%n",
        label, warm ? "warm" : "cold", runs, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], items, calls);
  }

  private double openFgaRequests() throws Exception {
    Matcher matcher = COUNTER.matcher(send("GET", "/metrics", null, null, 200));
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  private static String name(int i) {
    return "t" + String.format("%05d", i);
  }

  private String id(String path) throws Exception {
    String body = send("GET", "/management/v1/warehouses/" + prefix + path, null, admin, 200);
    Matcher matcher = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(body);
    if (!matcher.find()) {
      throw new IllegalStateException("no id in " + body);
    }
    return matcher.group(1);
  }

  private void grant(String type, String id) throws Exception {
    send("POST", "/management/v1/permissions/" + type + "/" + id + "/assignments",
        "{\"writes\":[{\"principal\":\"" + viewerId + "\",\"relation\":\"select\"}]}", admin, 204);
  }

  private static String table(String name) {
    return "{\"name\":\"" + name + "\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":"
        + "[{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"long\"}]}}";
  }

  interface Step {
    void run(int i) throws Exception;
  }

  private static void parallel(int count, Step step) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          step.run(n);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
  }

  private String send(String method, String path, String body, String token, int expected) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri + path)).timeout(Duration.ofSeconds(60));
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
      throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
