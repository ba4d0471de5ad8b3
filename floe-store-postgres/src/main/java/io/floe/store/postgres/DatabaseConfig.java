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
        .formatted(redact(writeUrl), redact(readUrl), user, writePoolSize, readPoolSize);
  }

  private static final java.util.regex.Pattern SECRET_PARAMETER =
      java.util.regex.Pattern.compile("(?i)([?&;][^=&;]*(?:password|secret|token)[^=&;]*=)[^&;]*");
  private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("//([^/@:]*):[^/@]*@");

  /**
   * A JDBC URL fit for a log line: the value of every parameter named like a password, secret or
   * token, and a password in the authority, replaced by {@code ***}.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String redacted = SECRET_PARAMETER.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(redacted).replaceAll("//$1:***@");
  }
}
