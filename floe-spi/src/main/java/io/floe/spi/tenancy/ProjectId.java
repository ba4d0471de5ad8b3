package io.floe.spi.tenancy;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** The immutable identity of a project. */
public record ProjectId(UUID value) {
  public ProjectId {
    requireNonNull(value, "value is null");
  }

  public static ProjectId random() {
    return new ProjectId(UUID.randomUUID());
  }

  /** Parses a project id from its text form, rejecting anything that is not a UUID. */
  public static ProjectId parse(String text) {
    return new ProjectId(Ids.parseUuid(text, "project id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
