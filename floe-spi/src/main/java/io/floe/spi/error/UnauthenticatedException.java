package io.floe.spi.error;

/** The caller could not be authenticated. */
public final class UnauthenticatedException extends FloeException {
  public UnauthenticatedException(String message, Object... args) {
    super(format(message, args), null);
  }

  public UnauthenticatedException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
