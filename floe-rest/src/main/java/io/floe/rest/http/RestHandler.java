package io.floe.rest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.spi.auth.Authenticator;
import io.floe.spi.auth.Principal;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.UnauthenticatedException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.idempotency.Claim;
import io.floe.spi.idempotency.IdempotencyFence;
import io.floe.spi.idempotency.IdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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
  private static final String JSON = "application/json";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** A client's request id is kept when it is printable ASCII without spaces; else one is made. */
  private static final java.util.regex.Pattern PRINTABLE = java.util.regex.Pattern.compile("[\\x21-\\x7e]+");
  private static final String REPLAYED = "Idempotent-Replayed";
  /** How long a retry waits for the first request with its key before it is asked to come back. */
  private static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(5);
  /** How long a claim may go unfinished before a retry may take it over (safe: claims are fenced). */
  private static final Duration STALE_CLAIM = Duration.ofSeconds(10);
  /** Outcomes a retry would get again, so they are replayed (the specification's list). */
  private static final Set<Integer> NOT_FINAL_4XX = Set.of(401, 403, 408, 429);

  private final Router router;
  private final ObjectMapper mapper;
  private final MeterRegistry metrics;
  private final long maxBodyBytes;
  private final IdempotencyStore idempotency;
  private final Duration idempotencyLifetime;
  private final Authenticator authenticator;
  /** Told of every authenticated caller (to record it on first sight). */
  private final java.util.function.Consumer<Principal> seen;
  private final RequestTracer tracer;
  private final java.util.concurrent.ConcurrentMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  private record TimerKey(String method, String route, int status) {}

  /** What a request produced. */
  private record Outcome(int status, byte[] payload, String contentType, Map<String, String> headers) {}

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
    super(InvocationType.BLOCKING);
    this.tracer = java.util.Objects.requireNonNull(tracer, "tracer is null");
    this.authenticator = authenticator;
    this.seen = seen;
    this.router = router;
    this.mapper = mapper;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.idempotency = idempotency;
    this.idempotencyLifetime = idempotencyLifetime;
  }

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
    // the id travels with every log line of the request (a field of its own in JSON logs)
    MDC.put("request-id", requestId);
    RequestTracer.Span span = tracer.start(method, name -> request.getHeaders().get(name));
    try {
      return serve(request, response, callback, start, method, rawPath, requestId, span);
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
      RequestTracer.Span span) {
    String routeName = "unmatched";
    Outcome outcome;
    Throwable failed = null;
    try {
      Router.Match match = router.match(method, rawPath);
      routeName = match.route().name();
      span.route(routeName, match.route().template());
      Principal principal = match.route().open() ? Principal.ANONYMOUS : authenticate(request, requestId);
      match = new Router.Match(match.route(), match.rawParameters(), principal);
      String key = request.getHeaders().get(IDEMPOTENCY_KEY);
      if (key != null && idempotency != null && isMutation(method) && !(match.route().replay() instanceof Replay.Ignored)) {
        outcome = idempotent(key, match, request, requestId);
      } else {
        outcome = execute(match, request, null, requestId);
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

  /**
   * Runs a mutation once per key: a retry gets the first final response back (rebuilt from the
   * current state where the route says so), a retry while the first still runs is asked to come
   * back later, and a claim stranded by a dead server is resolved from what the database holds.
   */
  private Outcome idempotent(String text, Router.Match match, Request request, String requestId)
      throws Exception {
    UUID key;
    try {
      key = UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new HttpStatusException(400, "BadRequestException", "Invalid Idempotency-Key: not a UUID: " + text);
    }
    byte[] body = readBody(request);
    // the caller is part of the request: another principal's retry with the same key is refused,
    // never answered with the first caller's response
    String fingerprint =
        request.getMethod() + " " + request.getHttpURI().getPath() + " " + sha256(body) + " " + sha256(
            match.principal().id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Replay replay = match.route().replay();
    long deadline = System.nanoTime() + IN_PROGRESS_WAIT.toNanos();
    while (true) {
      Claim claim;
      try {
        claim = idempotency.claim(key, fingerprint, idempotencyLifetime, STALE_CLAIM);
      } catch (CommitStateUnknownException e) {
        // whether the claim landed is unknown, but the request itself certainly did not run
        throw new UnavailableException(e, "Cannot claim the Idempotency-Key: %s", e.getMessage());
      }
      switch (claim) {
        case Claim.Completed completed -> {
          if (completed.body() == null && replay instanceof Replay.Rebuilt rebuilt && completed.status() < 300) {
            return replayed(rebuild(rebuilt, match, request, body, requestId));
          }
          byte[] payload = completed.body() == null ? null : completed.body().getBytes(StandardCharsets.UTF_8);
          return new Outcome(completed.status(), payload, JSON, Map.of(REPLAYED, "true"));
        }
        case Claim.Applied applied -> {
          if (replay instanceof Replay.Rebuilt rebuilt) {
            return replayed(rebuild(rebuilt, match, request, body, requestId));
          }
          // only fenced (rebuilt) routes mark claims applied; anything else is still running
          if (System.nanoTime() > deadline) {
            throw stillRunning();
          }
          Thread.sleep(100);
        }
        case Claim.Mismatch mismatch ->
            throw new HttpStatusException(
                422, "UnprocessableEntityException",
                "Idempotency-Key was already used for another request (another method, path or body)");
        case Claim.InProgress inProgress -> {
          if (System.nanoTime() > deadline) {
            throw stillRunning();
          }
          Thread.sleep(100);
        }
        case Claim.Acquired acquired -> {
          Outcome outcome =
              replay instanceof Replay.Rebuilt
                  ? new IdempotencyFence(key, acquired.token()).run(() -> execute(match, request, body, requestId))
                  : execute(match, request, body, requestId);
          finish(key, acquired.token(), replay, outcome, requestId);
          return outcome;
        }
      }
    }
  }

  /**
   * Records a final outcome, or releases the claim of one that is not. A failure here changes
   * nothing the client is told: what the change did is in the database, and a retry reads it.
   */
  private void finish(UUID key, UUID token, Replay replay, Outcome outcome, String requestId) {
    try {
      if (outcome.status() >= 500 || NOT_FINAL_4XX.contains(outcome.status())) {
        idempotency.release(key, token);
      } else if (replay instanceof Replay.Rebuilt && outcome.status() < 300) {
        idempotency.complete(key, token, outcome.status(), null);
      } else {
        String stored = outcome.payload() == null ? null : new String(outcome.payload(), StandardCharsets.UTF_8);
        idempotency.complete(key, token, outcome.status(), stored);
      }
    } catch (RuntimeException e) {
      LOG.warn("request_id={} cannot record the outcome of Idempotency-Key {}: {}", requestId, key, e.toString());
    }
  }

  private Outcome rebuild(Replay.Rebuilt rebuilt, Router.Match match, Request request, byte[] body, String requestId) {
    Route route = match.route();
    Router.Match asRebuilt =
        new Router.Match(
            new Route(route.method(), route.template(), route.name(), rebuilt.handler(), route.replay()),
            match.rawParameters(),
            match.principal());
    return execute(asRebuilt, request, body, requestId);
  }

  private static Outcome replayed(Outcome outcome) {
    if (outcome.status() >= 300) {
      return outcome;
    }
    Map<String, String> headers = new java.util.HashMap<>(outcome.headers());
    headers.put(REPLAYED, "true");
    return new Outcome(outcome.status(), outcome.payload(), outcome.contentType(), headers);
  }

  private static HttpStatusException stillRunning() {
    // not a failure: the first request may yet succeed; every client reads 503 as "try again"
    return new HttpStatusException(
        503, "ServiceUnavailableException", "A request with this Idempotency-Key is still running; retry later",
        Map.of("Retry-After", "1"));
  }

  private static String sha256(byte[] body) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Outcome execute(Router.Match match, Request request, byte[] readBody, String requestId) {
    try {
      byte[] body = readBody != null ? readBody : readBody(request);
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

  private static final byte[] NO_BODY = new byte[0];

  private byte[] readBody(Request request) throws IOException {
    long length = request.getLength();
    if (length == 0 || (length < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
      // an HTTP/1.1 request without Content-Length or Transfer-Encoding has no content (RFC 9112,
      // 6.3): most GETs; reading would only go through the connection's read machinery
      return NO_BODY;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (request.getLength() > maxBodyBytes) {
        drain(in);
        throw tooLarge();
      }
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        drain(in);
        throw tooLarge();
      }
      return bytes;
    }
  }

  /**
   * Reads and discards the rest of a refused body (up to a bound), so that the client, still
   * sending, reads the 413 instead of a reset connection.
   */
  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = 64L * 1024 * 1024;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
      left -= read;
    }
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
