package io.floe.server.observe;

import io.floe.rest.http.RequestTracer;
import io.floe.server.config.FloeConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Request spans exported to an OpenTelemetry collector with OTLP over HTTP (the JDK's HTTP
 * client), in batches from a background thread. Spans follow the HTTP server conventions
 * (method, route template, path, status); a request that carries a W3C {@code traceparent} joins
 * its caller's trace. This class, and so the SDK, is loaded only when tracing is configured.
 */
public final class OtlpTracing implements RequestTracer, AutoCloseable {
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> FLOE_ROUTE = AttributeKey.stringKey("floe.route");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("floe.request_id");

  private static final TextMapGetter<Function<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  public OtlpTracing(FloeConfig.Tracing config, String instance) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint().toString()).build();
    this.provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"), "floe",
                                AttributeKey.stringKey("service.instance.id"), instance))))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    this.tracer = provider.get("io.floe");
  }

  @Override
  public RequestTracer.Span start(String method, Function<String, String> headers) {
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
    io.opentelemetry.api.trace.Span span =
        tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER).setAttribute(METHOD, method).startSpan();
    Scope scope = span.makeCurrent();
    if (span.getSpanContext().isValid()) {
      // log lines of the request name its trace, to go from a log to its trace and back
      MDC.put("trace-id", span.getSpanContext().getTraceId());
    }
    return new RequestSpan(span, scope, method);
  }

  private record RequestSpan(io.opentelemetry.api.trace.Span span, Scope scope, String method) implements RequestTracer.Span {
    @Override
    public void route(String name, String template) {
      span.updateName(method + " " + template);
      span.setAttribute(ROUTE, template);
      span.setAttribute(FLOE_ROUTE, name);
    }

    @Override
    public void end(String requestId, String path, int status, Throwable error) {
      try {
        span.setAttribute(PATH, path);
        span.setAttribute(STATUS, (long) status);
        span.setAttribute(REQUEST_ID, requestId);
        if (status >= 500) {
          // client mistakes (4xx) are not the server's errors, as the conventions say
          span.setStatus(StatusCode.ERROR);
          span.setAttribute(ERROR_TYPE, error == null ? Integer.toString(status) : error.getClass().getName());
          if (error != null) {
            span.recordException(error);
          }
        }
        span.end();
      } finally {
        abandon();
      }
    }

    @Override
    public void abandon() {
      scope.close();
      MDC.remove("trace-id");
    }
  }

  /** Sends the spans still buffered, for up to ten seconds. */
  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
