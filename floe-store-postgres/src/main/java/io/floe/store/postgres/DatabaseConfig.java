package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How to reach PostgreSQL.
 *
 * @param readUrl a replica for lists and loads, or null to read from the primary
 */
public record DatabaseConfig(
    String writeUrl,
    String readUrl,
    String user,
    String password,
    int writePoolSize,
    int readPoolSize,
    Duration connectTimeout) {
  public DatabaseConfig {
    requireNonNull(writeUrl, "writeUrl is null");
    requireNonNull(connectTimeout, "connectTimeout is null");
    if (writePoolSize < 1 || readPoolSize < 1) {
      throw new IllegalArgumentException("pool sizes must be at least 1");
    }
  }

  @Override
  public String toString() {
    // never print the password
    return "DatabaseConfig[writeUrl=%s, readUrl=%s, user=%s, writePoolSize=%d, readPoolSize=%d]"
        .formatted(writeUrl, readUrl, user, writePoolSize, readPoolSize);
  }
}
