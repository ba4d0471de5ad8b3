package io.floe.storage.adls;

import io.floe.spi.error.BadRequestException;

/**
 * A filesystem, account host and path parsed from {@code abfss://filesystem@account.host/path}
 * ({@code abfs} spells the same thing).
 *
 * @param path the directory path without leading or trailing slashes; empty for the filesystem
 */
record AdlsLocation(String filesystem, String accountHost, String path) {
  static AdlsLocation parse(String location) {
    int schemeEnd = location.indexOf("://");
    String scheme = schemeEnd > 0 ? location.substring(0, schemeEnd) : "";
    if (!(scheme.equals("abfss") || scheme.equals("abfs"))) {
      throw new BadRequestException("Invalid ADLS location, expected abfss://filesystem@account/path: %s", location);
    }
    String rest = location.substring(schemeEnd + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    int at = authority.indexOf('@');
    if (at <= 0 || at == authority.length() - 1) {
      throw new BadRequestException("Invalid ADLS location, no filesystem@account: %s", location);
    }
    return new AdlsLocation(authority.substring(0, at), authority.substring(at + 1), path);
  }

  /** How many directory levels the path has: the {@code sdd} of a directory SAS. */
  int depth() {
    return path.isEmpty() ? 0 : path.split("/").length;
  }
}
