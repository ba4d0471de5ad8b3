package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two stateless servers over one database: each keeps table pointers in memory, and PostgreSQL
 * notifications tell it when another server moved one. A server always sees its own commits.
 */
class TwoServersTest {
  private static final String TABLE =
      "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";
  private static TestServer a;
  private static TestServer b;
  private static String prefix;

  @BeforeAll
  static void startServers() throws Exception {
    String database = TestDatabase.create();
    a = TestServer.start(Map.of("FLOE_DATABASE_URL", database));
    b = TestServer.start(Map.of("FLOE_DATABASE_URL", database));
    prefix = "/v1/" + a.demoPrefix();
    assertThat(b.demoPrefix()).isEqualTo(a.demoPrefix());
  }

  @AfterAll
  static void stopServers() {
    b.close();
    a.close();
  }

  @Test
  void seesChangesMadeThroughTheOtherServer() {
    a.post(prefix + "/namespaces", "{\"namespace\":[\"shared\"]}");
    assertThat(a.post(prefix + "/namespaces/shared/tables", TABLE).statusCode()).isEqualTo(200);
    String path = prefix + "/namespaces/shared/tables/t";
    for (int i = 0; i < 5; i++) {
      assertThat(b.get(path).statusCode()).isEqualTo(200);
    }
    assertThat(b.get("/metrics").body()).containsPattern("cache_gets_total\\{cache=\"table-pointer\",result=\"hit\"} [1-9]");

    commit(a, path, "k", "from-a");
    assertThat(eventually(() -> b.get(path), response -> response.body().contains("\"k\":\"from-a\""))).isTrue();

    commit(b, path, "k", "from-b");
    assertThat(b.get(path).body()).contains("\"k\":\"from-b\"");
    assertThat(eventually(() -> a.get(path), response -> response.body().contains("\"k\":\"from-b\""))).isTrue();

    assertThat(a.post(prefix + "/tables/rename",
            "{\"source\":{\"namespace\":[\"shared\"],\"name\":\"t\"},\"destination\":{\"namespace\":[\"shared\"],\"name\":\"u\"}}")
        .statusCode()).isEqualTo(204);
    assertThat(eventually(() -> b.get(path), response -> response.statusCode() == 404)).isTrue();
    assertThat(b.get(prefix + "/namespaces/shared/tables/u").statusCode()).isEqualTo(200);

    assertThat(a.delete(prefix + "/namespaces/shared/tables/u").statusCode()).isEqualTo(204);
    assertThat(eventually(() -> b.get(prefix + "/namespaces/shared/tables/u"), response -> response.statusCode() == 404))
        .isTrue();
  }

  @Test
  void listingsAreCachedYetShowEveryChangeAtOnceOnTheServerThatMadeItAndSoonOnTheOther() {
    a.post(prefix + "/namespaces", "{\"namespace\":[\"listed\"]}");
    String tables = prefix + "/namespaces/listed/tables";
    // a warm cache on both servers
    for (int i = 0; i < 3; i++) {
      assertThat(a.get(tables).body()).doesNotContain("\"t0\"");
      assertThat(b.get(tables).body()).doesNotContain("\"t0\"");
    }
    assertThat(a.get("/metrics").body()).containsPattern("cache_gets_total\\{cache=\"listing\",result=\"hit\"} [1-9]");
    for (int round = 0; round < 20; round++) {
      TestServer writer = round % 2 == 0 ? a : b;
      TestServer other = writer == a ? b : a;
      String name = "t" + round;
      assertThat(writer.post(tables, TABLE.replace("\"t\"", "\"" + name + "\"")).statusCode()).isEqualTo(200);
      // the writer answered the create only after its own listings moved on
      assertThat(writer.get(tables).body()).contains("\"" + name + "\"");
      assertThat(eventually(() -> other.get(tables), response -> response.body().contains("\"" + name + "\""))).isTrue();
    }
    // drops, renames and namespaces too, whichever code path made them
    assertThat(b.delete(tables + "/t3").statusCode()).isEqualTo(204);
    assertThat(b.get(tables).body()).doesNotContain("\"t3\"");
    assertThat(eventually(() -> a.get(tables), response -> !response.body().contains("\"t3\""))).isTrue();
    assertThat(a.post(prefix + "/tables/rename",
            "{\"source\":{\"namespace\":[\"listed\"],\"name\":\"t4\"},\"destination\":{\"namespace\":[\"listed\"],\"name\":\"renamed\"}}")
        .statusCode()).isEqualTo(204);
    assertThat(a.get(tables).body()).contains("\"renamed\"").doesNotContain("\"t4\"");
    assertThat(eventually(() -> b.get(tables), response -> response.body().contains("\"renamed\""))).isTrue();
    assertThat(b.get(prefix + "/namespaces").body()).contains("listed");
    assertThat(b.post(prefix + "/namespaces", "{\"namespace\":[\"later\"]}").statusCode()).isEqualTo(200);
    assertThat(b.get(prefix + "/namespaces").body()).contains("later");
    assertThat(eventually(() -> a.get(prefix + "/namespaces"), response -> response.body().contains("later"))).isTrue();
    assertThat(a.delete(prefix + "/namespaces/later").statusCode()).isEqualTo(204);
    assertThat(a.get(prefix + "/namespaces").body()).doesNotContain("later");
    assertThat(eventually(() -> b.get(prefix + "/namespaces"), response -> !response.body().contains("later"))).isTrue();
  }

  private static void commit(TestServer server, String path, String key, String value) {
    HttpResponse<String> response =
        server.post(
            path,
            "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"" + key + "\":\"" + value + "\"}}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** Polls for up to five seconds: notifications are asynchronous, but arrive in milliseconds. */
  private static boolean eventually(Supplier<HttpResponse<String>> request, Predicate<HttpResponse<String>> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.test(request.get())) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
