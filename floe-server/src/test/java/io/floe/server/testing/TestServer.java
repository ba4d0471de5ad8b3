package io.floe.server.testing;

import io.floe.server.Floe;
import io.floe.server.config.FloeConfig;
import io.floe.store.postgres.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Floe server in this JVM on an ephemeral loopback port, over a fresh test database. */
public final class TestServer implements AutoCloseable {
  private static final Pattern PREFIX = Pattern.compile("\"prefix\"\\s*:\\s*\"([^\"]+)\"");
  private final Floe floe;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String databaseUrl;

  private TestServer(Floe floe, String databaseUrl) {
    this.floe = floe;
    this.base = "http://127.0.0.1:" + floe.port();
    this.databaseUrl = databaseUrl;
  }

  /** The database this server runs on: a second server given it shares the catalog. */
  public String databaseUrl() {
    return databaseUrl;
  }

  public static TestServer start(Map<String, String> overrides) throws Exception {
    Path data = Files.createTempDirectory("floe-server-test");
    Map<String, String> environment = new HashMap<>();
    environment.put("FLOE_PORT", "0");
    environment.put("FLOE_DATABASE_URL", TestDatabase.create());
    environment.put("FLOE_DATA_DIR", data.toString());
    environment.put("FLOE_DATABASE_WRITE_POOL_SIZE", "4");
    environment.put("FLOE_DATABASE_READ_POOL_SIZE", "4");
    if (overrides.containsKey("FLOE_USE_TEST_DATABASE_AS_REPLICA")) {
      environment.put("FLOE_DATABASE_READ_URL", environment.get("FLOE_DATABASE_URL"));
    }
    overrides.forEach(
        (key, value) -> {
          if (!key.equals("FLOE_USE_TEST_DATABASE_AS_REPLICA")) {
            environment.put(key, value);
          }
        });
    return new TestServer(Floe.start(FloeConfig.load(environment)), environment.get("FLOE_DATABASE_URL"));
  }

  public String uri(String path) {
    return base + path;
  }

  /** The REST prefix of the {@code demo} warehouse. */
  public String demoPrefix() {
    HttpResponse<String> response = get("/v1/config?warehouse=demo");
    Matcher matcher = PREFIX.matcher(response.body());
    if (!matcher.find()) {
      throw new IllegalStateException("No prefix in " + response.body());
    }
    return matcher.group(1);
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(uri(path))).GET().build());
  }

  public HttpResponse<String> head(String path) {
    return send(HttpRequest.newBuilder(URI.create(uri(path))).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
  }

  public HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(uri(path))).DELETE().build());
  }

  public HttpResponse<String> post(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(uri(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    floe.close();
  }
}
