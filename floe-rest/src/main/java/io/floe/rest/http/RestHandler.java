package io.floe.rest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.spi.auth.Authenticator;
import io.floe.spi.auth.Principal;
import io.floe.spi.error.UnauthenticatedException;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.idempotency.IdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The single Jetty handler: reads the request, finds the route, runs the handler on the
 * request's virtual thread, writes JSON, maps errors, honours {@code Idempotency-Key}, records
 * metrics and logs one line.
 */
public final class RestHandler extends Handler.Abstract {
  private static final Logger REQUESTS = LoggerFactory.getLogger("floe.request");
  /** Requests slower than this are logged at info. */
  private static final long SLOW_NANOS = 1_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);
  static final String JSON = "application/json";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** A client's request id is kept when it is printable ASCII without spaces; else one is made. */
  private static final java.util.regex.Pattern PRINTABLE = java.util.regex.Pattern.compile("[\\x21-\\x7e]+");

  private final Router router;
  private final ObjectMapper mapper;
  private final MeterRegistry metrics;
  private final long maxBodyBytes;
  /** Null without an idempotency store. */
  private final IdempotentCalls idempotent;
  private final Authenticator authenticator;
  /** Told of every authenticated caller (to record it on first sight). */
  private final java.util.function.Consumer<Principal> seen;
  private final RequestTracer tracer;
  private final java.util.concurrent.ConcurrentMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
  /** Requests answered on the I/O thread, and those that ran on a virtual thread. */
  private final io.micrometer.core.instrument.Counter onIoThread;
  private final io.micrometer.core.instrument.Counter onVirtualThread;

  private record TimerKey(String method, String route, int status) {}

  public RestHandler(
      Router router,
      ObjectMapper mapper,
      MeterRegistry metrics,
      long maxBodyBytes,
      IdempotencyStore idempotency,
      Duration idempotencyLifetime,
      Authenticator authenticator,
      java.util.function.Consumer<Principal> seen,
      RequestTracer tracer) {
    // Jetty calls handle() on its I/O thread; handle() decides what runs there (see handle)
    super(InvocationType.NON_BLOCKING);
    this.tracer = java.util.Objects.requireNonNull(tracer, "tracer is null");
    this.authenticator = authenticator;
    this.seen = seen;
    this.router = router;
    this.mapper = mapper;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.idempotent =
        idempotency == null ? null : new IdempotentCalls(idempotency, idempotencyLifetime, this::execute);
    this.onIoThread = handled(metrics, "io-thread");
    this.onVirtualThread = handled(metrics, "virtual-thread");
  }

  private static io.micrometer.core.instrument.Counter handled(MeterRegistry metrics, String thread) {
    return io.micrometer.core.instrument.Counter.builder("floe.http.handled")
        .description("Requests by the thread that answered them: reads that memory answers are answered on the I/O thread")
        .tag("on", thread)
        .register(metrics);
  }

  /**
   * Serves a request. A read that memory can answer (a cached listing, pointer or response) is
   * answered on the I/O thread that parsed it: handing each request to a thread of its own cost
   * half of the CPU of such a request. Everything else, and a read that turns out to need the
   * database or another service, runs on a virtual thread of its own; such a read stops at the
   * first thing that would wait, before it changed anything, and runs again there from the start.
   * A request's body is read here, without blocking ({@link BodyReader}), and the virtual thread
   * gets it in memory: no thread but Jetty's reads a connection.
   */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String method = request.getMethod();
    String rawPath = request.getHttpURI().getPath();
    String requestId = request.getHeaders().get("X-Request-ID");
    if (requestId == null || requestId.length() > 128 || !PRINTABLE.matcher(requestId).matches()) {
      // request ids need uniqueness, not unpredictability: avoid SecureRandom on every request
      java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
      requestId = new UUID(random.nextLong(), random.nextLong()).toString();
    }
    String id = requestId;
    if (triedInline(request, method, rawPath)) {
      try {
        boolean handled = io.floe.spi.concurrent.NonBlocking.attempt(() -> run(request, response, callback, start, method, rawPath, id, BodyReader.NONE, null));
        onIoThread.increment();
        return handled;
      } catch (io.floe.spi.concurrent.NonBlocking.WouldBlock e) {
        // nothing was answered or changed: run it where it may wait
      }
    }
    onVirtualThread.increment();
    // the body is read here, without blocking; the thread that may wait gets it in memory
    BodyReader.read(request, maxBodyBytes, body -> Thread.ofVirtual().start(
        () -> run(request, response, callback, start, method, rawPath, id, body.bytes(), body.error())));
    return true;
  }

  /**
   * Whether a request is tried on the I/O thread: reads without a body, of the catalog's routes
   * (health and metrics read the database and other services), when no caller has to be
   * authenticated (which may fetch keys and records callers).
   */
  private boolean triedInline(Request request, String method, String rawPath) {
    if (!"GET".equals(method) || authenticator.required() || !BodyReader.hasNoBody(request)) {
      return false;
    }
    try {
      return !router.match(method, rawPath).route().open();
    } catch (RuntimeException e) {
      return true; // no such route: the error is answered from memory
    }
  }

  private boolean run(
      Request request, Response response, Callback callback, long start, String method, String rawPath, String requestId,
      byte[] body, HttpStatusException bodyError) {
    // the id travels with every log line of the request (a field of its own in JSON logs)
    MDC.put("request-id", requestId);
    RequestTracer.Span span = tracer.start(method, name -> request.getHeaders().get(name));
    try {
      return serve(request, response, callback, start, method, rawPath, requestId, span, body, bodyError);
    } catch (io.floe.spi.concurrent.NonBlocking.WouldBlock e) {
      span.abandon();
      throw e;
    } finally {
      MDC.remove("request-id");
    }
  }

  private boolean serve(
      Request request,
      Response response,
      Callback callback,
      long start,
      String method,
      String rawPath,
      String requestId,
      RequestTracer.Span span,
      byte[] body,
      HttpStatusException bodyError) {
    String routeName = "unmatched";
    Outcome outcome;
    Throwable failed = null;
    try {
      Router.Match match = router.match(method, rawPath);
      routeName = match.route().name();
      span.route(routeName, match.route().template());
      Principal principal = match.route().open() ? Principal.ANONYMOUS : authenticate(request, requestId);
      match = new Router.Match(match.route(), match.rawParameters(), principal);
      if (bodyError != null) {
        throw bodyError;
      }
      String key = request.getHeaders().get(IDEMPOTENCY_KEY);
      if (key != null && idempotent != null && isMutation(method) && !(match.route().replay() instanceof Replay.Ignored)) {
        outcome = idempotent.run(key, match, request, body, requestId);
      } else {
        outcome = execute(match, request, body, requestId);
      }
    } catch (Throwable error) {
      outcome = failure(error, requestId, method, rawPath);
      failed = error;
    }
    long elapsed = System.nanoTime() - start;
    record(method, routeName, outcome.status(), elapsed);
    span.end(requestId, rawPath, outcome.status(), outcome.status() >= 500 ? failed : null);
    // at info what an operator looks into (server errors, refused callers, client mistakes other
    // than a missing object, slow requests); every request at debug: at tens of thousands of
    // requests a second, a line each costs a tenth of the CPU, and metrics and traces cover them
    int status = outcome.status();
    boolean notable = status >= 400 && status != 404 || elapsed >= SLOW_NANOS;
    if (notable ? REQUESTS.isInfoEnabled() : REQUESTS.isDebugEnabled()) {
      String line = "request_id={} method={} route={} path={} status={} duration_ms={}";
      Object[] values = {requestId, method, routeName, rawPath, status, Math.round(elapsed / 10_000.0) / 100.0};
      if (notable) {
        REQUESTS.info(line, values);
      } else {
        REQUESTS.debug(line, values);
      }
    }
    response.setStatus(status);
    response.getHeaders().put("X-Request-ID", requestId);
    outcome.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    if (outcome.payload() == null || "HEAD".equals(method) || status == 304 || status == 204) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, outcome.contentType());
    response.write(true, ByteBuffer.wrap(outcome.payload()), callback);
    return true;
  }

  /**
   * The caller, from the request's bearer token.
   *
   * @throws HttpStatusException 401 with {@code WWW-Authenticate} for a missing or bad token; the
   *     reason is logged and returned, the token never
   */
  private Principal authenticate(Request request, String requestId) {
    if (!authenticator.required()) {
      return Principal.ANONYMOUS;
    }
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = null;
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw unauthenticated(requestId, "the Authorization header is not a bearer token", true);
      }
      token = header.substring(7).trim();
    }
    try {
      Principal principal = authenticator.authenticate(token);
      seen.accept(principal);
      return principal;
    } catch (UnauthenticatedException e) {
      throw unauthenticated(requestId, e.getMessage(), token != null);
    }
  }

  private static HttpStatusException unauthenticated(String requestId, String message, boolean tokenSent) {
    // a header value and a log line: no control characters, whatever the reason quotes
    String reason = message == null ? "invalid token" : message.replaceAll("[\\p{Cntrl}]", "?");
    LOG.info("request_id={} not authenticated: {}", requestId, reason);
    String challenge =
        tokenSent
            ? "Bearer realm=\"floe\", error=\"invalid_token\", error_description=\"" + reason.replace('"', '\'') + "\""
            : "Bearer realm=\"floe\"";
    return new HttpStatusException(401, "NotAuthorizedException", reason, Map.of("WWW-Authenticate", challenge));
  }

  private static boolean isMutation(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("DELETE");
  }

  private Outcome execute(Router.Match match, Request request, byte[] body, String requestId) {
    try {
      refuseNul(body);
      Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
      Call call =
          new Call(
              request.getMethod(), match.rawParameters(), query, request.getHeaders(), body, mapper, requestId,
              match.principal());
      Object result;
      Principal actor = match.principal();
      try (ChangeEvents.Scope acting =
          ChangeEvents.actingAs(actor == null || actor.kind() == Principal.Kind.ANONYMOUS ? null : actor.id())) {
        result = match.route().handler().handle(call);
      }
      Object content = result;
      int status = 200;
      Map<String, String> headers = Map.of();
      if (result instanceof Reply reply) {
        status = reply.status();
        content = reply.body();
        headers = reply.headers();
      } else if (result == null) {
        status = 204;
      }
      if (content == null) {
        return new Outcome(status, null, JSON, headers);
      } else if (content instanceof RawJson raw) {
        return new Outcome(status, raw.utf8(), JSON, headers);
      } else if (content instanceof String text) {
        String type = headers.getOrDefault("Content-Type", "text/plain; charset=utf-8");
        return new Outcome(status, text.getBytes(StandardCharsets.UTF_8), type, headers);
      }
      return new Outcome(status, mapper.writeValueAsBytes(content), JSON, headers);
    } catch (Throwable error) {
      return failure(error, requestId, request.getMethod(), request.getHttpURI().getPath());
    }
  }

  private Outcome failure(Throwable error, String requestId, String method, String rawPath) {
    if (error instanceof io.floe.spi.concurrent.NonBlocking.WouldBlock wouldBlock) {
      throw wouldBlock; // not a failure: the request runs again where it may wait
    }
    ErrorMapper.MappedError mapped = ErrorMapper.map(error);
    String message = mapped.message();
    if (mapped.internal()) {
      LOG.error("request_id={} {} {} failed", requestId, method, rawPath, error);
      message = "Internal server error (request id " + requestId + ")";
    } else if (mapped.status() >= 500) {
      LOG.warn("request_id={} {} {}: {}", requestId, method, rawPath, error.getMessage());
    }
    Map<String, String> headers = error instanceof HttpStatusException http ? http.headers() : Map.of();
    return new Outcome(mapped.status(), errorBody(mapped.status(), mapped.type(), message), JSON, headers);
  }

  /**
   * Refuses a body with a NUL character in any JSON string ({@code \u0000}; JSON cannot carry a
   * raw one): no text the catalog stores (PostgreSQL text and jsonb) can hold it, so it is the
   * request's mistake wherever it appears.
   */
  static void refuseNul(byte[] body) {
    for (int i = 0; i + 5 < body.length; i++) {
      if (body[i] == '\\' && body[i + 1] == 'u' && body[i + 2] == '0' && body[i + 3] == '0'
          && body[i + 4] == '0' && body[i + 5] == '0') {
        int backslashes = 0;
        for (int j = i; j >= 0 && body[j] == '\\'; j--) {
          backslashes++;
        }
        if (backslashes % 2 == 1) {
          throw new HttpStatusException(
              400, "BadRequestException", "Invalid request: strings must not contain the NUL character (\\u0000)");
        }
      }
    }
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

  /** Methods named in metrics as they are; any other is one label, so that labels stay bounded. */
  private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  private void record(String requestMethod, String route, int status, long nanos) {
    String method = KNOWN_METHODS.contains(requestMethod) ? requestMethod : "OTHER";
    timers
        .computeIfAbsent(
            new TimerKey(method, route, status),
            key ->
                Timer.builder("floe.http.server.requests")
                    .description("HTTP requests served, by route and status")
                    .tag("method", method)
                    .tag("route", route)
                    .tag("status", Integer.toString(status))
                    .publishPercentileHistogram()
                    .register(metrics))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
