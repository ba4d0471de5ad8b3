package io.floe.spi.tenancy;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a warehouse keeps its files and how Floe reaches them. Each kind of storage is a record
 * of its own module ({@link io.floe.spi.storage.StorageKind}); the JSON form is {@link
 * StorageProfileParser}'s. Profiles are values: equal profiles name the same storage.
 */
public interface StorageProfile {
  /** The kind of storage, as written in the {@code type} field of the JSON form. */
  String type();

  /** The location under which the warehouse's tables and views live by default, without a trailing slash. */
  String root();

  /** How long credentials vended for this storage last, when the profile says so. */
  default Optional<Duration> credentialLifetime() {
    return Optional.empty();
  }
}
