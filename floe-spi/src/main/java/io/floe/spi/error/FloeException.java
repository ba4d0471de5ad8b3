package io.floe.spi.error;

/**
 * The root of every error Floe raises on purpose. The REST layer maps each subtype to one
 * Iceberg error model in a single exhaustive switch, so a new subtype must be mapped before the
 * build passes.
 */
public abstract sealed class FloeException extends RuntimeException
    permits NotFoundException,
        ConflictException,
        AlreadyExistsException,
        CommitConflictException,
        CommitStateUnknownException,
        NotEmptyException,
        ForbiddenException,
        UnauthenticatedException,
        BadRequestException,
        UnsupportedException,
        UnavailableException {

  protected FloeException(String message, Throwable cause) {
    super(message, cause);
  }

  protected static String format(String message, Object... args) {
    return args.length == 0 ? message : String.format(message, args);
  }
}
