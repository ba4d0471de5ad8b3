package io.floe.rest.http;

import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.CommitStateUnknownException;
import io.floe.spi.error.ConflictException;
import io.floe.spi.error.FloeException;
import io.floe.spi.error.ForbiddenException;
import io.floe.spi.error.NotEmptyException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.error.UnauthenticatedException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.error.UnsupportedException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;

/** Turns every exception into the status and type of an Iceberg error model, in one place. */
public final class ErrorMapper {
  /** The mapped error; {@code internal} errors get a generic message and are logged. */
  public record MappedError(int status, String type, String message, boolean internal) {}

  private ErrorMapper() {}

  public static MappedError map(Throwable error) {
    if (error instanceof FloeException floe) {
      return switch (floe) {
        case NotFoundException e -> new MappedError(404, notFoundType(e.kind()), e.getMessage(), false);
        case AlreadyExistsException e -> new MappedError(409, "AlreadyExistsException", e.getMessage(), false);
        case CommitConflictException e -> new MappedError(409, "CommitFailedException", e.getMessage(), false);
        case ConflictException e -> new MappedError(409, "ConflictException", e.getMessage(), false);
        case CommitStateUnknownException e ->
            new MappedError(500, "CommitStateUnknownException", e.getMessage(), false);
        case NotEmptyException e -> new MappedError(409, "NamespaceNotEmptyException", e.getMessage(), false);
        case ForbiddenException e -> new MappedError(403, "ForbiddenException", e.getMessage(), false);
        case UnauthenticatedException e -> new MappedError(401, "NotAuthorizedException", e.getMessage(), false);
        case BadRequestException e -> new MappedError(400, "BadRequestException", e.getMessage(), false);
        case UnsupportedException e ->
            new MappedError(406, "UnsupportedOperationException", e.getMessage(), false);
        case UnavailableException e ->
            new MappedError(503, "ServiceUnavailableException", e.getMessage(), false);
      };
    }
    if (error instanceof HttpStatusException http) {
      return new MappedError(http.status(), http.type(), http.getMessage(), false);
    }
    // errors raised by iceberg-core while validating requirements or applying updates
    if (error instanceof CommitFailedException) {
      return new MappedError(409, "CommitFailedException", error.getMessage(), false);
    }
    // the types Iceberg clients turn back into the same exception (IllegalArgumentException for 400)
    if (error instanceof ValidationException) {
      return new MappedError(400, "ValidationException", error.getMessage(), false);
    }
    if (error instanceof IllegalArgumentException) {
      return new MappedError(400, "IllegalArgumentException", error.getMessage(), false);
    }
    if (error instanceof UnsupportedOperationException) {
      return new MappedError(406, "UnsupportedOperationException", error.getMessage(), false);
    }
    return new MappedError(500, "InternalServerError", "Internal server error", true);
  }

  private static String notFoundType(NotFoundException.Kind kind) {
    return switch (kind) {
      case PROJECT -> "NoSuchProjectException";
      case WAREHOUSE -> "NoSuchWarehouseException";
      case NAMESPACE -> "NoSuchNamespaceException";
      case TABLE -> "NoSuchTableException";
      case VIEW -> "NoSuchViewException";
      case SECRET -> "NoSuchSecretException";
      case OBJECT -> "NoSuchObjectException";
    };
  }
}
