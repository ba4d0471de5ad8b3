package io.floe.spi.error;

/** The operation is valid but not supported by this deployment. */
public final class UnsupportedException extends FloeException {
  public UnsupportedException(String message, Object... args) {
    super(format(message, args), null);
  }

  public UnsupportedException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
