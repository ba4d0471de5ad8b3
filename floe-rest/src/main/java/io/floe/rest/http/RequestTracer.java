package io.floe.rest.http;

import java.util.function.Function;

/**
 * Traces requests: one span per request, a child of the caller's trace when the request carries
 * one ({@code traceparent}). {@link #NONE} when tracing is off, so that the request path pays
 * for nothing.
 */
public interface RequestTracer {
  RequestTracer NONE = (method, headers) -> Span.NONE;

  /**
   * Starts the span of a request and makes it current on this thread until {@link Span#end}.
   *
   * @param headers the request's headers by name, null when absent
   */
  Span start(String method, Function<String, String> headers);

  /** One request's span. */
  interface Span {
    Span NONE = new Span() {
      @Override
      public void route(String name, String template) {}

      @Override
      public void end(String requestId, String path, int status, Throwable error) {}
    };

    /** The route the request matched: its name and path template. */
    void route(String name, String template);

    /** Ends the span with the request's outcome; {@code error} is null unless the server failed. */
    void end(String requestId, String path, int status, Throwable error);

    /** Drops the span of a try that will run again: it is not current any more, nor sent. */
    default void abandon() {}
  }
}
