package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads that memory answers are answered on the HTTP server's I/O thread; a read that needs the
 * database is abandoned there before it changed anything and runs again on a virtual thread.
 * Either way the client gets the same answer and every cache lookup is counted once.
 */
class InlineReadsTest {
  private static final String TABLE =
      "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";
  private static TestServer server;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("FLOE_DATABASE_URL", TestDatabase.create()));
    prefix = "/v1/" + server.demoPrefix();
    assertThat(server.post(prefix + "/namespaces", "{\"namespace\":[\"inline\"]}").statusCode()).isEqualTo(200);
    assertThat(server.post(prefix + "/namespaces/inline/tables", TABLE).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aListingIsReadOnceFromTheDatabaseThenAnsweredOnTheIoThread() {
    String tables = prefix + "/namespaces/inline/tables";
    String metrics = server.get("/metrics").body();
    double misses = value(metrics, "cache_gets_total\\{cache=\"listing\",result=\"miss\"}");
    double hits = value(metrics, "cache_gets_total\\{cache=\"listing\",result=\"hit\"}");
    double io = value(metrics, "floe_http_handled_total\\{on=\"io-thread\"}");
    double virtual = value(metrics, "floe_http_handled_total\\{on=\"virtual-thread\"}");

    // the create moved the listing epoch: the first read misses, the next three hit
    for (int i = 0; i < 4; i++) {
      assertThat(server.get(tables).body()).contains("\"name\":\"t\"");
    }

    metrics = server.get("/metrics").body();
    // one miss, though the first read was tried on the I/O thread and run again elsewhere
    assertThat(value(metrics, "cache_gets_total\\{cache=\"listing\",result=\"miss\"}") - misses).isEqualTo(1);
    assertThat(value(metrics, "cache_gets_total\\{cache=\"listing\",result=\"hit\"}") - hits).isEqualTo(3);
    assertThat(value(metrics, "floe_http_handled_total\\{on=\"io-thread\"}") - io).isEqualTo(3);
    // the first read and the /metrics request (metrics are never read on the I/O thread)
    assertThat(value(metrics, "floe_http_handled_total\\{on=\"virtual-thread\"}") - virtual).isEqualTo(2);
  }

  @Test
  void aTableLoadedOnceFromTheDatabaseIsThenServedFromMemoryWithTheSameAnswer() {
    String table = prefix + "/namespaces/inline/tables/t";
    String first = server.get(table).body();
    String metrics = server.get("/metrics").body();
    double pointerMisses = value(metrics, "cache_gets_total\\{cache=\"table-pointer\",result=\"miss\"}");
    double io = value(metrics, "floe_http_handled_total\\{on=\"io-thread\"}");
    for (int i = 0; i < 3; i++) {
      assertThat(server.get(table).body()).isEqualTo(first);
    }
    metrics = server.get("/metrics").body();
    assertThat(value(metrics, "cache_gets_total\\{cache=\"table-pointer\",result=\"miss\"}")).isEqualTo(pointerMisses);
    assertThat(value(metrics, "floe_http_handled_total\\{on=\"io-thread\"}") - io).isEqualTo(3);
    // a missing table and a bad request are answered too, whichever thread answers them
    assertThat(server.get(prefix + "/namespaces/inline/tables/missing").statusCode()).isEqualTo(404);
    assertThat(server.get(table + "?snapshots=some").statusCode()).isEqualTo(400);
  }

  @Test
  void aGetWithAnEmptyBodyIsAnsweredOnTheIoThreadAndOneWithABodyElsewhere() {
    String table = prefix + "/namespaces/inline/tables/t";
    String first = server.get(table).body();
    double io = value(server.get("/metrics").body(), "floe_http_handled_total\\{on=\"io-thread\"}");
    // the JDK's client sends Content-Length: 0 with an empty body
    HttpResponse<String> empty =
        server.send(HttpRequest.newBuilder(URI.create(server.uri(table))).method("GET", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(empty.body()).isEqualTo(first);
    double afterEmpty = value(server.get("/metrics").body(), "floe_http_handled_total\\{on=\"io-thread\"}");
    assertThat(afterEmpty - io).isEqualTo(1);
    // a body has to be read, which may wait: not on the I/O thread, and the read still answers
    HttpResponse<String> withBody =
        server.send(HttpRequest.newBuilder(URI.create(server.uri(table))).method("GET", HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(withBody.body()).isEqualTo(first);
    assertThat(value(server.get("/metrics").body(), "floe_http_handled_total\\{on=\"io-thread\"}")).isEqualTo(afterEmpty);
  }

  private static double value(String metrics, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
