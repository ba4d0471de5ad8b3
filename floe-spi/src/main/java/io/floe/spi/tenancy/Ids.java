package io.floe.spi.tenancy;

import io.floe.spi.error.BadRequestException;
import java.util.UUID;

final class Ids {
  private Ids() {}

  static UUID parseUuid(String text, String what) {
    if (text == null || text.length() != 36) {
      throw new BadRequestException("Invalid %s: %s", what, text);
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid %s: %s", what, text);
    }
  }
}
