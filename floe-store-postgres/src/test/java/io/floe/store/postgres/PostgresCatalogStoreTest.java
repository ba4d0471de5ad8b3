package io.floe.store.postgres;

import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.CatalogStoreContractTest;
import io.floe.store.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The catalog store contract, on a real PostgreSQL. */
class PostgresCatalogStoreTest extends CatalogStoreContractTest {
  private static Database database;
  private static PostgresCatalogStore store;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabase.migrated();
    store = new PostgresCatalogStore(database);
  }

  @AfterAll
  static void closeDatabase() {
    database.close();
  }

  @Override
  protected CatalogStore store() {
    return store;
  }
}
