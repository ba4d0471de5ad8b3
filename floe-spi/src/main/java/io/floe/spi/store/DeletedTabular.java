package io.floe.spi.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.apache.iceberg.catalog.Namespace;

/**
 * A soft-dropped table or view, until it expires.
 *
 * @param namespace the namespace it was in (where an undrop puts it back)
 * @param purge whether its files go when it expires
 */
public record DeletedTabular(
    TabularId id, Namespace namespace, String name, boolean view, Instant deletedAt, Instant expiresAt, boolean purge) {
  public DeletedTabular {
    requireNonNull(id, "id is null");
    requireNonNull(namespace, "namespace is null");
    requireNonNull(name, "name is null");
    requireNonNull(deletedAt, "deletedAt is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }
}
