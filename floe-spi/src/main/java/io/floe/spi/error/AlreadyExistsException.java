package io.floe.spi.error;

/** An entity with the same name exists already. */
public final class AlreadyExistsException extends FloeException {
  public AlreadyExistsException(String message, Object... args) {
    super(format(message, args), null);
  }

  public AlreadyExistsException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
