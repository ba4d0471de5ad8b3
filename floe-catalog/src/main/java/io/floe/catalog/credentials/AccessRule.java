package io.floe.catalog.credentials;

import static java.util.Objects.requireNonNull;

import io.floe.spi.storage.AccessLevel;
import io.floe.spi.tenancy.Warehouse;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Decides what a client may do with a table's files: the access level of vended credentials and
 * of remotely signed requests. Until authorization exists it is one configured level for every
 * table ({@code FLOE_VENDED_CREDENTIALS_ACCESS}); the authorizer will decide per principal.
 */
public record AccessRule(AccessLevel level) {
  public AccessRule {
    requireNonNull(level, "level is null");
  }

  public AccessLevel accessFor(Warehouse warehouse, TableIdentifier table) {
    return level;
  }
}
