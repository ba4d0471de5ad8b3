package io.floe.spi.error;

/** A container (namespace, warehouse, project) cannot be dropped while it holds entities. */
public final class NotEmptyException extends FloeException {
  public NotEmptyException(String message, Object... args) {
    super(format(message, args), null);
  }

  public NotEmptyException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
