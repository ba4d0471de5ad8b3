package io.floe.rest.http;

/** An error decided by the HTTP layer itself: no route, wrong method, body too large... */
public final class HttpStatusException extends RuntimeException {
  private final int status;
  private final String type;

  public HttpStatusException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }
}
