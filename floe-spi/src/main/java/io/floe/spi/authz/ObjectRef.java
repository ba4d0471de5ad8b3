package io.floe.spi.authz;

import static java.util.Objects.requireNonNull;

/** One object grants are made on: its kind and its stable id (renames keep it). */
public record ObjectRef(ObjectType type, String id) {
  /** The one server object: grants on it hold everywhere. */
  public static final ObjectRef SERVER = new ObjectRef(ObjectType.SERVER, "floe");

  public ObjectRef {
    requireNonNull(type, "type is null");
    requireNonNull(id, "id is null");
  }

  @Override
  public String toString() {
    return type.text() + ":" + id;
  }
}
