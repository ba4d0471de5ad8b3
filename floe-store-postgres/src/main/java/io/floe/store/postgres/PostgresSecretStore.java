package io.floe.store.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.secrets.SecretId;
import io.floe.spi.secrets.SecretStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.iceberg.util.JsonUtil;

/** {@link SecretStore} on PostgreSQL: one encrypted row per secret. */
public final class PostgresSecretStore implements SecretStore {
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private final DataSource writer;
  private final java.time.Duration resolveDeadline;
  private final SecretKeyRing keys;

  /** @param keys the master keys, or null when none are configured (secrets are then refused) */
  public PostgresSecretStore(Database database, SecretKeyRing keys) {
    this.writer = requireNonNull(database, "database is null").writer();
    this.resolveDeadline = database.commitResolveDeadline();
    this.keys = keys;
  }

  @Override
  public SecretId create(Secret secret) {
    SecretId id = SecretId.random();
    SecretKeyRing.Sealed sealed = keys().seal(serialize(secret), associatedData(id.value()));
    Jdbc.transaction(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("insert into secret (id, key_version, nonce, ciphertext) values (?, ?, ?, ?)")) {
            s.setObject(1, id.value());
            s.setInt(2, sealed.keyVersion());
            s.setBytes(3, sealed.nonce());
            s.setBytes(4, sealed.ciphertext());
            s.executeUpdate();
          }
          return null;
        });
    return id;
  }

  @Override
  public Optional<Secret> read(SecretId id) {
    Optional<SecretKeyRing.Sealed> sealed =
        Jdbc.read(
            writer,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("select key_version, nonce, ciphertext from secret where id = ?")) {
                s.setObject(1, id.value());
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next()
                      ? Optional.of(new SecretKeyRing.Sealed(rs.getInt(1), rs.getBytes(2), rs.getBytes(3)))
                      : Optional.empty();
                }
              }
            });
    return sealed.map(value -> deserialize(keys().open(value, associatedData(id.value()))));
  }

  @Override
  public void replace(SecretId id, Secret secret) {
    SecretKeyRing.Sealed sealed = keys().seal(serialize(secret), associatedData(id.value()));
    Jdbc.transaction(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "update secret set key_version = ?, nonce = ?, ciphertext = ?, updated_at = now() where id = ?")) {
            s.setInt(1, sealed.keyVersion());
            s.setBytes(2, sealed.nonce());
            s.setBytes(3, sealed.ciphertext());
            s.setObject(4, id.value());
            if (s.executeUpdate() == 0) {
              throw new NotFoundException(NotFoundException.Kind.SECRET, "Secret does not exist: %s", id);
            }
          }
          return null;
        });
  }

  @Override
  public void delete(SecretId id) {
    Jdbc.transaction(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s = c.prepareStatement("delete from secret where id = ?")) {
            s.setObject(1, id.value());
            s.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean deleteUnused(SecretId id) {
    return Jdbc.transaction(writer, resolveDeadline,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "delete from secret where id = ? and not exists (select 1 from warehouse where credential_id = ?)")) {
            s.setObject(1, id.value());
            s.setObject(2, id.value());
            s.executeUpdate();
          }
          try (PreparedStatement s = c.prepareStatement("select not exists (select 1 from secret where id = ?)")) {
            s.setObject(1, id.value());
            try (java.sql.ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getBoolean(1);
            }
          }
        });
  }

  /**
   * Re-encrypts up to {@code batch} secrets that an older key version protects under the current
   * one; run until it returns 0 to finish a rotation. Safe on several servers at once.
   *
   * @return how many secrets were re-encrypted
   */
  public int rotate(int batch) {
    SecretKeyRing ring = keys();
    return Jdbc.transaction(writer, resolveDeadline,
        c -> {
          List<UUID> ids = new ArrayList<>();
          List<SecretKeyRing.Sealed> sealed = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, key_version, nonce, ciphertext from secret where key_version <> ?"
                      + " limit ? for update skip locked")) {
            s.setInt(1, ring.currentVersion());
            s.setInt(2, batch);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
                sealed.add(new SecretKeyRing.Sealed(rs.getInt(2), rs.getBytes(3), rs.getBytes(4)));
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "update secret set key_version = ?, nonce = ?, ciphertext = ?, updated_at = now() where id = ?")) {
            for (int i = 0; i < ids.size(); i++) {
              byte[] associated = associatedData(ids.get(i));
              SecretKeyRing.Sealed resealed = ring.seal(ring.open(sealed.get(i), associated), associated);
              s.setInt(1, resealed.keyVersion());
              s.setBytes(2, resealed.nonce());
              s.setBytes(3, resealed.ciphertext());
              s.setObject(4, ids.get(i));
              s.addBatch();
            }
            s.executeBatch();
          }
          return ids.size();
        });
  }

  private SecretKeyRing keys() {
    if (keys == null) {
      throw new UnavailableException("Cannot store or read secrets: no secret key is configured (FLOE_SECRET_KEYS)");
    }
    return keys;
  }

  private static byte[] associatedData(UUID id) {
    return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
  }

  private static byte[] serialize(Secret secret) {
    try {
      return JsonUtil.mapper().writeValueAsBytes(new TreeMap<>(secret.values()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Secret deserialize(byte[] plaintext) {
    try {
      return new Secret(JsonUtil.mapper().readValue(plaintext, STRING_MAP));
    } catch (IOException e) {
      throw new UnavailableException(e, "Cannot read a decrypted secret");
    }
  }
}
