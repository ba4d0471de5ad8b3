package io.floe.rest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single Jetty handler: reads the request, finds the route, runs the handler on the
 * request's virtual thread, writes JSON, maps errors, records metrics and logs one line.
 */
public final class RestHandler extends Handler.Abstract {
  private static final Logger REQUESTS = LoggerFactory.getLogger("floe.request");
  private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);
  private static final String JSON = "application/json";

  private final Router router;
  private final ObjectMapper mapper;
  private final MeterRegistry metrics;
  private final long maxBodyBytes;

  public RestHandler(Router router, ObjectMapper mapper, MeterRegistry metrics, long maxBodyBytes) {
    super(InvocationType.BLOCKING);
    this.router = router;
    this.mapper = mapper;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String method = request.getMethod();
    String rawPath = request.getHttpURI().getPath();
    String requestId = request.getHeaders().get("X-Request-ID");
    if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
      requestId = UUID.randomUUID().toString();
    }
    String routeName = "unmatched";
    int status;
    byte[] payload;
    Map<String, String> headers = Map.of();
    String contentType = JSON;
    try {
      Router.Match match = router.match(method, rawPath);
      routeName = match.route().name();
      byte[] body = readBody(request);
      Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
      Call call = new Call(method, match.rawParameters(), query, request.getHeaders(), body, mapper, requestId);
      Object result = match.route().handler().handle(call);
      Object content = result;
      status = 200;
      if (result instanceof Reply reply) {
        status = reply.status();
        content = reply.body();
        headers = reply.headers();
      } else if (result == null) {
        status = 204;
      }
      if (content == null) {
        payload = null;
      } else if (content instanceof RawJson raw) {
        payload = raw.json().getBytes(StandardCharsets.UTF_8);
      } else if (content instanceof String text) {
        payload = text.getBytes(StandardCharsets.UTF_8);
        contentType = headers.getOrDefault("Content-Type", "text/plain; charset=utf-8");
      } else {
        payload = mapper.writeValueAsBytes(content);
      }
    } catch (Throwable error) {
      ErrorMapper.MappedError mapped = ErrorMapper.map(error);
      status = mapped.status();
      String message = mapped.message();
      if (mapped.internal()) {
        LOG.error("request_id={} {} {} failed", requestId, method, rawPath, error);
        message = "Internal server error (request id " + requestId + ")";
      } else if (status >= 500) {
        LOG.warn("request_id={} {} {}: {}", requestId, method, rawPath, error.getMessage());
      }
      payload = errorBody(status, mapped.type(), message);
      headers = Map.of();
    }
    long elapsed = System.nanoTime() - start;
    record(method, routeName, status, elapsed);
    REQUESTS.info(
        "request_id={} method={} route={} path={} status={} duration_ms={}",
        requestId, method, routeName, rawPath, status, String.format("%.2f", elapsed / 1e6));
    response.setStatus(status);
    response.getHeaders().put("X-Request-ID", requestId);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    if (payload == null || "HEAD".equals(method) || status == 304 || status == 204) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(payload), callback);
    return true;
  }

  private byte[] readBody(Request request) throws IOException {
    long declared = request.getLength();
    if (declared > maxBodyBytes) {
      throw tooLarge();
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        throw tooLarge();
      }
      return bytes;
    }
  }

  private HttpStatusException tooLarge() {
    return new HttpStatusException(
        413, "PayloadTooLargeException", "Request body exceeds the limit of " + maxBodyBytes + " bytes");
  }

  private byte[] errorBody(int status, String type, String message) {
    ErrorResponse error =
        ErrorResponse.builder().responseCode(status).withType(type).withMessage(message).build();
    try {
      return mapper.writeValueAsBytes(error);
    } catch (IOException e) {
      return ("{\"error\":{\"message\":\"error\",\"type\":\"" + type + "\",\"code\":" + status + "}}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private void record(String method, String route, int status, long nanos) {
    Timer.builder("floe.http.server.requests")
        .description("HTTP requests served, by route and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(metrics)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
