package io.floe.rest.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** A body that is already JSON (written by a parser, or cached), sent as is. */
public final class RawJson {
  private final byte[] utf8;

  private RawJson(byte[] utf8) {
    this.utf8 = requireNonNull(utf8, "utf8 is null");
  }

  public RawJson(String json) {
    this(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Wraps bytes the caller will not change afterwards. */
  public static RawJson ofUtf8(byte[] utf8) {
    return new RawJson(utf8);
  }

  public byte[] utf8() {
    return utf8;
  }
}
