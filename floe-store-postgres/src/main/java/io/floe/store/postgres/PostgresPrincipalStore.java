package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import io.floe.spi.auth.Principal;
import io.floe.spi.auth.PrincipalStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@link PrincipalStore} on PostgreSQL. */
public final class PostgresPrincipalStore implements PrincipalStore {
  private static final String COLUMNS = "select id, kind, name, email from principal ";
  private final Transactions tx;

  public PostgresPrincipalStore(Database database) {
    this.tx = new Transactions(requireNonNull(database, "database is null"), List.of());
  }

  @Override
  public void record(Principal principal) {
    tx.execute(
        "insert into principal (id, kind, name, email) values (?, ?, ?, ?) on conflict (id) do update"
            + " set kind = excluded.kind, name = excluded.name, email = excluded.email, last_seen = now()",
        null,
        java.util.Map.of(),
        principal.id(),
        principal.kind().text(),
        principal.name(),
        principal.email());
  }

  @Override
  public Optional<Principal> find(String id) {
    return tx.readPrimary(c -> Sql.queryOne(c, COLUMNS + "where id = ?", PostgresPrincipalStore::principal, id));
  }

  @Override
  public List<Principal> search(String text, int limit) {
    String pattern = "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return tx.read(
        c ->
            Sql.queryList(
                c,
                COLUMNS + "where lower(name) like ? or lower(email) like ? order by name, id limit " + limit,
                PostgresPrincipalStore::principal,
                pattern,
                pattern));
  }

  @Override
  public boolean bootstrap(String principalId) {
    return tx.mutation(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into server_administrator (principal_id) values (?) on conflict (singleton) do nothing")) {
            s.setString(1, principalId);
            return s.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<String> administrator() {
    return tx.readPrimary(
        c -> Sql.queryOne(c, "select principal_id from server_administrator", rs -> rs.getString(1)));
  }

  private static Principal principal(ResultSet rs) throws SQLException {
    String text = rs.getString(2);
    Principal.Kind kind =
        java.util.Arrays.stream(Principal.Kind.values())
            .filter(k -> k.text().equals(text))
            .findFirst()
            .orElse(Principal.Kind.USER);
    return new Principal(rs.getString(1), kind, rs.getString(3), rs.getString(4), Set.of());
  }
}
