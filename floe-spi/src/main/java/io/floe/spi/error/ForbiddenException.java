package io.floe.spi.error;

/** The caller is known but may not perform the operation. */
public final class ForbiddenException extends FloeException {
  public ForbiddenException(String message, Object... args) {
    super(format(message, args), null);
  }

  public ForbiddenException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
