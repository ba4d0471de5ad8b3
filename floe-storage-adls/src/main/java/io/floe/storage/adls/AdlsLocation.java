package io.floe.storage.adls;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.storage.ObjectLocation;
import java.util.Set;

/**
 * A filesystem, account host and path parsed from {@code abfss://filesystem@account.host/path}
 * ({@code abfs} spells the same thing).
 *
 * @param path the directory path without leading or trailing slashes; empty for the filesystem
 */
record AdlsLocation(String filesystem, String accountHost, String path) {
  private static final String FORM = "abfss://filesystem@account/path";

  static AdlsLocation parse(String location) {
    ObjectLocation parsed = ObjectLocation.parse(location, Set.of("abfss", "abfs"), FORM);
    String authority = parsed.authority();
    int at = authority.indexOf('@');
    if (at <= 0 || at == authority.length() - 1) {
      throw new BadRequestException("Invalid location, expected %s: %s", FORM, location);
    }
    return new AdlsLocation(authority.substring(0, at), authority.substring(at + 1), parsed.path());
  }
}
