package io.floe.spi.error;

/** The request is malformed or asks for something invalid. */
public final class BadRequestException extends FloeException {
  public BadRequestException(String message, Object... args) {
    super(format(message, args), null);
  }

  public BadRequestException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
