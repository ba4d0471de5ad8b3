package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObservabilityTest {
  private static TestServer server;
  private static String prefix;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(Map.of());
    prefix = "/v1/" + server.demoPrefix();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void reportsLivenessAndReadiness() {
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = server.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"database\":\"UP\"");
  }

  @Test
  void exportsRequestAndPoolMetricsForPrometheus() {
    server.get(prefix + "/namespaces");
    HttpResponse<String> metrics = server.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(metrics.body())
        .contains("floe_http_server_requests_seconds_count{method=\"GET\",route=\"list-namespaces\",status=\"200\"}")
        .contains("floe_http_server_requests_seconds_bucket")
        .contains("hikaricp_connections_active{pool=\"floe-write\"}")
        .contains("cache_gets_total{cache=\"warehouse\"")
        .contains("process_files_open_files ")
        .containsPattern("process_resident_memory_bytes [1-9]");
  }

  @Test
  void countsCommitOutcomesAndReportsTheDatabase() throws Exception {
    server.post(prefix + "/namespaces", "{\"namespace\":[\"outcomes\"]}");
    server.post(
        prefix + "/namespaces/outcomes/tables",
        "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}");
    double applied = metric("floe_commits_total{outcome=\"applied\"}");
    double conflicts = metric("floe_commits_total{outcome=\"conflict\"}");
    assertThat(server.post(prefix + "/namespaces/outcomes/tables/t",
        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}").statusCode()).isEqualTo(200);
    // a stale requirement: a 409 the client retries
    assertThat(server.post(prefix + "/namespaces/outcomes/tables/t",
        "{\"requirements\":[{\"type\":\"assert-current-schema-id\",\"current-schema-id\":7}],\"updates\":[]}").statusCode()).isEqualTo(409);
    assertThat(metric("floe_commits_total{outcome=\"applied\"}")).isEqualTo(applied + 1);
    assertThat(metric("floe_commits_total{outcome=\"conflict\"}")).isEqualTo(conflicts + 1);
    // refreshed in the background at start and every 15 s
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (metric("floe_database_up") != 1.0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(metric("floe_database_up")).isEqualTo(1.0);
    assertThat(server.get("/metrics").body()).contains("floe_commit_retries_total");
  }

  /** A sample's value from the scrape, 0 when absent. */
  private static double metric(String series) {
    for (String line : server.get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  @Test
  void echoesOrAssignsRequestIds() {
    HttpResponse<String> response =
        server.send(HttpRequest.newBuilder(URI.create(server.uri("/health"))).header("X-Request-ID", "abc-123").build());
    assertThat(response.headers().firstValue("X-Request-ID")).hasValue("abc-123");
    assertThat(server.get("/health").headers().firstValue("X-Request-ID")).isPresent();
  }

  @Test
  void answersNotModifiedWhenTheTableIsUnchanged() {
    server.post(prefix + "/namespaces", "{\"namespace\":[\"etag\"]}");
    server.post(
        prefix + "/namespaces/etag/tables",
        "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}");
    HttpResponse<String> first = server.get(prefix + "/namespaces/etag/tables/t");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> second =
        server.send(HttpRequest.newBuilder(URI.create(server.uri(prefix + "/namespaces/etag/tables/t"))).header("If-None-Match", etag).build());
    assertThat(second.statusCode()).isEqualTo(304);
    assertThat(second.body()).isEmpty();

    server.post(prefix + "/namespaces/etag/tables/t", "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}");
    HttpResponse<String> third =
        server.send(HttpRequest.newBuilder(URI.create(server.uri(prefix + "/namespaces/etag/tables/t"))).header("If-None-Match", etag).build());
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(third.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
    HttpResponse<String> refs = server.get(prefix + "/namespaces/etag/tables/t?snapshots=refs");
    assertThat(refs.headers().firstValue("ETag")).isNotEqualTo(third.headers().firstValue("ETag"));
  }

  @Test
  void acceptsMetricsReportsAndAnswersCredentials() {
    server.post(prefix + "/namespaces", "{\"namespace\":[\"reports\"]}");
    server.post(
        prefix + "/namespaces/reports/tables",
        "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}");
    String report =
        "{\"report-type\":\"commit-report\",\"table-name\":\"reports.t\",\"snapshot-id\":1,\"sequence-number\":1,"
            + "\"operation\":\"append\",\"metrics\":{}}";
    assertThat(server.post(prefix + "/namespaces/reports/tables/t/metrics", report).statusCode()).isEqualTo(204);
    assertThat(server.get("/metrics").body()).contains("floe_metrics_reports_total{type=\"commit-report\"} 1.0");
    assertThat(server.post(prefix + "/namespaces/reports/tables/missing/metrics", report).statusCode()).isEqualTo(404);

    HttpResponse<String> credentials = server.get(prefix + "/namespaces/reports/tables/t/credentials");
    assertThat(credentials.statusCode()).isEqualTo(200);
    assertThat(credentials.body()).isEqualTo("{\"storage-credentials\":[]}");
  }
}
