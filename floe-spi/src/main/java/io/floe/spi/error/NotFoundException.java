package io.floe.spi.error;

import static java.util.Objects.requireNonNull;

/** The entity the request names does not exist. {@link #kind()} says which kind of entity. */
public final class NotFoundException extends FloeException {
  /** The kinds of entities that can be missing. */
  public enum Kind {
    PROJECT,
    WAREHOUSE,
    NAMESPACE,
    TABLE,
    VIEW,
    SECRET,
    /** An object named by type and id, such as a grant's target. */
    OBJECT
  }

  private final Kind kind;

  public NotFoundException(Kind kind, String message, Object... args) {
    super(format(message, args), null);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public Kind kind() {
    return kind;
  }
}
