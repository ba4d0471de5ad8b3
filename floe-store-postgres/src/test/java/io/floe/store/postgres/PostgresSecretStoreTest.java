package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.error.NotFoundException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.secrets.SecretId;
import io.floe.store.postgres.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresSecretStoreTest {
  private static final String KEY_1 = SecretKeyRing.generate(1);
  private static final String KEY_2 = SecretKeyRing.generate(2);
  private static final Secret SECRET = new Secret(Map.of("access-key-id", "AKIAFLOE", "secret-access-key", "s3cr3t-value"));
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabase.migrated();
  }

  @AfterAll
  static void closeDatabase() {
    database.close();
  }

  /** A retired credential goes only when no warehouse refers to it (its replacement may have failed). */
  @Test
  void anUnusedSecretIsDeletedAndOneInUseIsKept() {
    PostgresSecretStore store = new PostgresSecretStore(database, SecretKeyRing.parse(KEY_1, null));
    PostgresCatalogStore catalog = new PostgresCatalogStore(database);
    SecretId used = store.create(SECRET);
    SecretId unused = store.create(SECRET);
    io.floe.spi.tenancy.Project project = new io.floe.spi.tenancy.Project(io.floe.spi.tenancy.ProjectId.random(), "secrets-" + used);
    catalog.createProject(project);
    catalog.createWarehouse(
        new io.floe.spi.tenancy.Warehouse(
            io.floe.spi.tenancy.WarehouseId.random(), project.id(), "w", new io.floe.spi.testing.TestStorageKind.Profile("/tmp/floe-secrets"),
            java.util.List.of(), used));
    assertThat(store.deleteUnused(used)).isFalse();
    assertThat(store.read(used)).isPresent();
    assertThat(store.deleteUnused(unused)).isTrue();
    assertThat(store.read(unused)).isEmpty();
    assertThat(store.deleteUnused(unused)).as("gone already").isTrue();
  }

  @Test
  void storesSecretsEncryptedAndReadsThemBack() throws Exception {
    PostgresSecretStore store = new PostgresSecretStore(database, SecretKeyRing.parse(KEY_1, null));
    SecretId id = store.create(SECRET);
    assertThat(store.read(id)).contains(SECRET);
    byte[] stored = row(id, "ciphertext");
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t-value").doesNotContain("AKIAFLOE");

    Secret replaced = new Secret(Map.of("account-key", "other"));
    store.replace(id, replaced);
    assertThat(store.read(id)).contains(replaced);
    store.delete(id);
    assertThat(store.read(id)).isEmpty();
    assertThatThrownBy(() -> store.replace(id, SECRET)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void rotatesToANewKeyWithoutLosingAnySecret() throws Exception {
    PostgresSecretStore before = new PostgresSecretStore(database, SecretKeyRing.parse(KEY_1, null));
    SecretId first = before.create(SECRET);
    SecretId second = before.create(new Secret(Map.of("k", "v")));

    PostgresSecretStore during = new PostgresSecretStore(database, SecretKeyRing.parse(KEY_1 + "," + KEY_2, null));
    assertThat(during.read(first)).contains(SECRET);
    SecretId third = during.create(new Secret(Map.of("new", "key")));
    assertThat(rowVersion(third)).isEqualTo(2);
    int rotated = 0;
    for (int done = during.rotate(1); done > 0; done = during.rotate(1)) {
      rotated += done;
    }
    assertThat(rotated).isGreaterThanOrEqualTo(2);
    assertThat(rowVersion(first)).isEqualTo(2);

    PostgresSecretStore after = new PostgresSecretStore(database, SecretKeyRing.parse(KEY_2, null));
    assertThat(after.read(first)).contains(SECRET);
    assertThat(after.read(second)).contains(new Secret(Map.of("k", "v")));
    assertThat(after.read(third)).contains(new Secret(Map.of("new", "key")));
  }

  @Test
  void refusesSecretsItCannotDecrypt() throws Exception {
    // its own database: the rows it tampers with would stop the rotation test's re-encryption
    Database database = TestDatabase.migrated();
    try {
      refusesSecretsItCannotDecrypt(database);
    } finally {
      database.close();
    }
  }

  private static void refusesSecretsItCannotDecrypt(Database database) throws Exception {
    PostgresSecretStore store = new PostgresSecretStore(database, SecretKeyRing.parse(KEY_1, null));
    SecretId a = store.create(SECRET);
    SecretId b = store.create(new Secret(Map.of("k", "v")));
    try (Connection c = database.writer().getConnection();
        PreparedStatement s =
            c.prepareStatement("update secret set nonce = (select nonce from secret where id = ?),"
                + " ciphertext = (select ciphertext from secret where id = ?) where id = ?")) {
      s.setObject(1, a.value());
      s.setObject(2, a.value());
      s.setObject(3, b.value());
      s.executeUpdate();
    }
    assertThatThrownBy(() -> store.read(b))
        .isInstanceOf(UnavailableException.class)
        .hasMessage("Cannot decrypt a secret with key version 1: it was altered or the key is wrong");

    PostgresSecretStore otherKeys = new PostgresSecretStore(database, SecretKeyRing.parse(KEY_2, null));
    assertThatThrownBy(() -> otherKeys.read(a))
        .isInstanceOf(UnavailableException.class)
        .hasMessage("Cannot decrypt a secret: key version 1 is not configured (FLOE_SECRET_KEYS)");
    PostgresSecretStore noKeys = new PostgresSecretStore(database, null);
    assertThatThrownBy(() -> noKeys.create(SECRET)).isInstanceOf(UnavailableException.class);
  }

  @Test
  void keepsValuesOutOfTextAndValidatesKeys() {
    assertThat(SECRET.toString()).isEqualTo("Secret[access-key-id, secret-access-key] (values hidden)");
    assertThat(SecretKeyRing.parse(KEY_1 + "," + KEY_2, 1).currentVersion()).isEqualTo(1);
    assertThat(SecretKeyRing.parse(KEY_1 + "," + KEY_2, null).toString()).doesNotContain(KEY_1.substring(2));
    assertThatThrownBy(() -> SecretKeyRing.parse("1:c2hvcnQ=", null))
        .hasMessage("secret key version 1 must be 32 bytes, got 5");
    assertThatThrownBy(() -> SecretKeyRing.parse("x:AAAA", null)).hasMessage("secret key version is not a number: x");
    assertThatThrownBy(() -> SecretKeyRing.parse(KEY_1, 3)).hasMessage("the current secret key version 3 is not among the keys");
    assertThatThrownBy(() -> SecretKeyRing.parse(KEY_1 + "," + KEY_1, null)).hasMessage("secret key version 1 is given twice");
  }

  private static byte[] row(SecretId id, String column) throws Exception {
    try (Connection c = database.writer().getConnection();
        PreparedStatement s = c.prepareStatement("select " + column + " from secret where id = ?")) {
      s.setObject(1, id.value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }

  private static int rowVersion(SecretId id) throws Exception {
    try (Connection c = database.writer().getConnection();
        PreparedStatement s = c.prepareStatement("select key_version from secret where id = ?")) {
      s.setObject(1, id.value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
