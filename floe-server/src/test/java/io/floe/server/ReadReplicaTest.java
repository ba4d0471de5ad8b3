package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a read URL, lists and loads use the read pool while commits, and the reads inside them,
 * use the write pool. The "replica" here is the primary under a second URL; the pools' own
 * counters show which one served each request.
 */
class ReadReplicaTest {
  private static TestServer server;
  private static String prefix;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(Map.of("FLOE_USE_TEST_DATABASE_AS_REPLICA", "true"));
    prefix = "/v1/" + server.demoPrefix();
    server.post(prefix + "/namespaces", "{\"namespace\":[\"replica\"]}");
    server.post(
        prefix + "/namespaces/replica/tables",
        "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void loadsAndListsReadFromTheReplicaAndCommitsWriteToThePrimary() {
    double reads = acquired("floe-read");
    // background work (task leases, the database check) takes write connections now and then:
    // reads that took one would move the write pool in every round, so one quiet round is enough
    boolean writePoolUntouched = false;
    for (int round = 0; round < 3 && !writePoolUntouched; round++) {
      double writesBefore = acquired("floe-write");
      for (int i = 0; i < 5; i++) {
        assertThat(server.get(prefix + "/namespaces/replica/tables/t").statusCode()).isEqualTo(200);
        assertThat(server.get(prefix + "/namespaces/replica/tables").statusCode()).isEqualTo(200);
      }
      writePoolUntouched = acquired("floe-write") == writesBefore;
    }
    assertThat(acquired("floe-read")).isGreaterThanOrEqualTo(reads + 10);
    assertThat(writePoolUntouched).as("loads and lists took no write connection").isTrue();

    double writes = acquired("floe-write");
    double readsBeforeCommit = acquired("floe-read");
    assertThat(
            server.post(
                    prefix + "/namespaces/replica/tables/t",
                    "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}")
                .statusCode())
        .isEqualTo(200);
    assertThat(acquired("floe-write")).isGreaterThan(writes);
    assertThat(acquired("floe-read")).isEqualTo(readsBeforeCommit);
  }

  private static double acquired(String pool) {
    String metrics = server.get("/metrics").body();
    Matcher matcher =
        Pattern.compile("hikaricp_connections_acquire_seconds_count\\{pool=\"" + pool + "\"\\} ([0-9.E]+)").matcher(metrics);
    assertThat(matcher.find()).as("metric for pool " + pool).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
