package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.namespaces.Namespaces;
import io.floe.catalog.tables.Tables;
import io.floe.catalog.tenancy.Storage;
import io.floe.storage.local.LocalFileIOFactory;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.TableEntry;
import io.floe.storage.local.LocalStorageProfile;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.Database;
import io.floe.store.postgres.PostgresCatalogStore;
import io.floe.store.postgres.PostgresSecretStore;
import io.floe.store.postgres.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A multi-table commit checks every table's requirements inside its transaction, those of tables
 * it does not change too: a concurrent change to such a table, made between the commit's read and
 * its transaction, fails the whole commit (no write skew between servers).
 */
class MultiTableRequirementsTest {
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private static Database database;
  private static PostgresCatalogStore store;
  private static Warehouse warehouse;
  private static Namespace namespace = Namespace.of("skew");

  @BeforeAll
  static void setUp() throws Exception {
    database = TestDatabase.migrated();
    store = new PostgresCatalogStore(database);
    Project project = new Project(ProjectId.random(), "p");
    store.createProject(project);
    warehouse =
        new Warehouse(
            WarehouseId.random(), project.id(), "w",
            new LocalStorageProfile(Files.createTempDirectory("floe-skew").toString()), List.of());
    store.createWarehouse(warehouse);
    store.createNamespace(warehouse.id(), new NamespaceEntry(UUID.randomUUID(), namespace, Map.of()));
  }

  @AfterAll
  static void tearDown() {
    store.close();
    database.close();
  }

  @Test
  void aTableChangedBetweenTheReadAndTheTransactionFailsTheCommit() {
    Tables direct = tables(store);
    direct.create(warehouse, namespace, CreateTableRequest.builder().withName("a").withSchema(SCHEMA).build());
    direct.create(warehouse, namespace, CreateTableRequest.builder().withName("b").withSchema(SCHEMA).build());
    TableIdentifier a = TableIdentifier.of(namespace, "a");
    TableIdentifier b = TableIdentifier.of(namespace, "b");

    // another server adds a column to b right after this commit has read b
    AtomicBoolean race = new AtomicBoolean(true);
    CatalogStore racing =
        (CatalogStore)
            Proxy.newProxyInstance(
                CatalogStore.class.getClassLoader(),
                new Class<?>[] {CatalogStore.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(store, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("table") && b.equals(args[1]) && race.getAndSet(false)) {
                    direct.commit(warehouse, b, addColumn());
                  }
                  return result;
                });
    Tables tables = tables(racing);
    UpdateTableRequest changeA =
        UpdateTableRequest.create(a, List.of(), List.of(new MetadataUpdate.SetProperties(Map.of("k", "v"))));
    // b changes nothing but requires the schema this commit was decided on
    UpdateTableRequest holdB =
        UpdateTableRequest.create(b, List.of(new UpdateRequirement.AssertLastAssignedFieldId(1)), List.of());
    assertThatThrownBy(() -> tables.commitTransaction(warehouse, new CommitTransactionRequest(List.of(changeA, holdB))))
        .isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("last assigned field id changed");
    assertThat(race.get()).as("the concurrent change was made").isFalse();
    TableEntry after = direct.load(warehouse, a);
    assertThat(after.metadata().properties()).doesNotContainKey("k");
  }

  private static UpdateTableRequest addColumn() {
    Schema wider =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "extra", Types.StringType.get()));
    return UpdateTableRequest.create(
        null, List.of(), List.of(new MetadataUpdate.AddSchema(wider), new MetadataUpdate.SetCurrentSchema(-1)));
  }

  private static Tables tables(CatalogStore catalogStore) {
    Storage storage = new Storage(List.of(new LocalFileIOFactory()), new PostgresSecretStore(database, null));
    return new Tables(catalogStore, new Namespaces(catalogStore), storage, 3, new io.floe.store.postgres.PostgresEventOutbox(database));
  }
}
