package io.floe.spi.error;

/** A commit's requirement does not hold on the current state, or a concurrent commit won. */
public final class CommitConflictException extends FloeException {
  public CommitConflictException(String message, Object... args) {
    super(format(message, args), null);
  }

  public CommitConflictException(Throwable cause, String message, Object... args) {
    super(format(message, args), cause);
  }
}
