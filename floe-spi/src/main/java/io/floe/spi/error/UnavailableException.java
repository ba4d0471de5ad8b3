package io.floe.spi.error;

/** A dependency (the database, storage) is unreachable; retrying later may succeed. */
public final class UnavailableException extends FloeException {
  public UnavailableException(String message, Object... args) {
    super(format(message, args), null);
  }

  public UnavailableException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
