package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.floe.server.testing.TestServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Traces reach an OTLP receiver (an HTTP endpoint that decodes what it gets with the protocol's
 * own protobuf classes): one server span per request, named by route, in the caller's trace.
 */
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";

  @Test
  void exportsOneServerSpanPerRequestInTheCallersTrace() throws Exception {
    List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/v1/traces", exchange -> {
      try (exchange) {
        contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
        received.add(ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
      } catch (RuntimeException | Error e) {
        failures.add(e);
        throw e;
      }
    });
    collector.start();
    try {
      TestServer server =
          TestServer.start(
              Map.of("FLOE_TRACING_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces"));
      String prefix = "/v1/" + server.demoPrefix();
      String requestId;
      try {
        requestId =
            server.send(
                    HttpRequest.newBuilder(URI.create(server.uri(prefix + "/namespaces")))
                        .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01")
                        .build())
                .headers().firstValue("X-Request-ID").orElseThrow();
        assertThat(server.get(prefix + "/namespaces/missing").statusCode()).isEqualTo(404);
      } finally {
        // stopping flushes the spans still buffered
        server.close();
      }

      assertThat(failures).isEmpty();
      assertThat(contentTypes).isNotEmpty().allMatch("application/x-protobuf"::equals);
      List<Span> spans =
          received.stream()
              .flatMap(export -> export.getResourceSpansList().stream())
              .filter(resource -> attributes(resource.getResource().getAttributesList()).get("service.name").equals("floe"))
              .flatMap(resource -> resource.getScopeSpansList().stream())
              .flatMap(scope -> scope.getSpansList().stream())
              .toList();
      Span list = spans.stream().filter(span -> span.getName().equals("GET /v1/{prefix}/namespaces")).findFirst().orElseThrow();
      assertThat(list.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(HexFormat.of().formatHex(list.getTraceId().toByteArray())).isEqualTo(TRACE_ID);
      assertThat(HexFormat.of().formatHex(list.getParentSpanId().toByteArray())).isEqualTo(PARENT_ID);
      Map<String, String> attributes = attributes(list.getAttributesList());
      assertThat(attributes)
          .containsEntry("http.request.method", "GET")
          .containsEntry("http.route", "/v1/{prefix}/namespaces")
          .containsEntry("http.response.status_code", "200")
          .containsEntry("floe.route", "list-namespaces")
          .containsEntry("floe.request_id", requestId);

      // a client's mistake is recorded, but is not the server's error; a new trace starts without a parent
      Span missing =
          spans.stream().filter(span -> attributes(span.getAttributesList()).get("url.path").endsWith("/namespaces/missing"))
              .findFirst().orElseThrow();
      assertThat(attributes(missing.getAttributesList())).containsEntry("http.response.status_code", "404");
      assertThat(missing.getStatus().getCode()).isNotEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(missing.getParentSpanId().isEmpty()).isTrue();
      assertThat(HexFormat.of().formatHex(missing.getTraceId().toByteArray())).isNotEqualTo(TRACE_ID);
    } finally {
      collector.stop(0);
    }
  }

  private static Map<String, String> attributes(List<KeyValue> values) {
    return values.stream()
        .collect(
            Collectors.toMap(
                KeyValue::getKey,
                value ->
                    value.getValue().hasIntValue()
                        ? Long.toString(value.getValue().getIntValue())
                        : value.getValue().getStringValue()));
  }
}
