package io.floe.catalog.credentials;

import static java.util.Objects.requireNonNull;

import io.floe.spi.storage.AccessLevel;

/**
 * The most a vended credential or a signed request may do with a table's files on this server
 * ({@code FLOE_VENDED_CREDENTIALS_ACCESS}). Without an authorizer every caller gets it; with one,
 * the caller's rights on the table decide (select reads, modify writes), never beyond this.
 */
public record AccessRule(AccessLevel level) {
  public AccessRule {
    requireNonNull(level, "level is null");
  }
}
