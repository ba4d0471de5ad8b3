package io.floe.spi.error;

/**
 * A request that the catalog's current state refuses, other than a commit's failed requirement:
 * dropping a protected object, undropping into a name a live object holds, a change an approver
 * vetoed.
 */
public final class ConflictException extends FloeException {
  public ConflictException(String message, Object... args) {
    super(format(message, args), null);
  }
}
