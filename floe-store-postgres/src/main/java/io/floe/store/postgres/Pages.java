package io.floe.store.postgres;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.store.Page;
import io.floe.spi.store.PageRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset pagination over a name column: a page token is the last name of the previous page,
 * base64url-encoded, and the next page starts after it.
 */
final class Pages {
  private Pages() {}

  /** Adds the "after the token" condition (as the next parameter), the order and the limit. */
  static String sql(String select, String after, PageRequest page) {
    StringBuilder sql = new StringBuilder(select);
    if (after != null) {
      sql.append(" and name > ?");
    }
    sql.append(" order by name");
    if (page.size() != null) {
      // one row more than asked tells whether another page follows
      sql.append(" limit ").append(page.size() + 1);
    }
    return sql.toString();
  }

  /** Cuts the rows read by {@link #sql} into a page and the token of the next one. */
  static <T> Page<T> of(List<T> rows, PageRequest page, Function<T, String> name) {
    if (page.size() == null || rows.size() <= page.size()) {
      return new Page<>(rows, null);
    }
    List<T> items = rows.subList(0, page.size());
    return new Page<>(items, encode(name.apply(items.get(items.size() - 1))));
  }

  /** A keyset position in a listing ordered by a time and an id, newest first. */
  record Key(java.time.Instant at, java.util.UUID id) {}

  static String encodeKey(java.time.Instant at, java.util.UUID id) {
    return encode(at + "|" + id);
  }

  static Key decodeKey(String token) {
    String[] parts = decode(token).split("\\|", 2);
    try {
      return new Key(java.time.Instant.parse(parts[0]), java.util.UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw new BadRequestException("Invalid page token: %s", token);
    }
  }

  static String encode(String last) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a page token names no NUL character");
      }
      return decoded;
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid page token: %s", token);
    }
  }
}
