package io.floe.rest.http;

/** An error decided by the HTTP layer itself: no route, wrong method, body too large... */
public final class HttpStatusException extends RuntimeException {
  private final int status;
  private final String type;
  private final java.util.Map<String, String> headers;

  public HttpStatusException(int status, String type, String message) {
    this(status, type, message, java.util.Map.of());
  }

  /** With response headers, such as {@code Retry-After}. */
  public HttpStatusException(int status, String type, String message, java.util.Map<String, String> headers) {
    super(message);
    this.status = status;
    this.type = type;
    this.headers = java.util.Map.copyOf(headers);
  }

  public java.util.Map<String, String> headers() {
    return headers;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }
}
