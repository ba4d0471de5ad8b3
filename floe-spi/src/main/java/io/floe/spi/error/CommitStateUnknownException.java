package io.floe.spi.error;

/** A commit may or may not have been applied; the client must reload before retrying. */
public final class CommitStateUnknownException extends FloeException {
  public CommitStateUnknownException(String message, Object... args) {
    super(format(message, args), null);
  }

  public CommitStateUnknownException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
