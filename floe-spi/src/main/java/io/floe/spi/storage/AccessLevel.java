package io.floe.spi.storage;

import java.util.Locale;

/** What a vended credential or a signed request may do with a table's files. */
public enum AccessLevel {
  /** Get, head and list objects. */
  READ,
  /** Everything {@link #READ} allows, plus put, multipart uploads and delete. */
  READ_WRITE;

  public boolean canWrite() {
    return this == READ_WRITE;
  }

  /** The text form used in configuration: {@code read} or {@code read-write}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses {@code read} or {@code read-write}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static AccessLevel parse(String text) {
    for (AccessLevel level : values()) {
      if (level.text().equalsIgnoreCase(text.trim())) {
        return level;
      }
    }
    throw new IllegalArgumentException("expected read or read-write, got '" + text + "'");
  }
}
