package io.floe.spi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.error.AlreadyExistsException;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.CommitConflictException;
import io.floe.spi.error.NotEmptyException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.testing.TestStorageKind;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.view.ImmutableSQLViewRepresentation;
import org.apache.iceberg.view.ImmutableViewVersion;
import org.apache.iceberg.view.ViewMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CatalogStore} must have. An implementation's test extends this class
 * and returns a store backed by its real service; each test starts in a fresh warehouse.
 */
public abstract class CatalogStoreContractTest {
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private CatalogStore store;
  private WarehouseId warehouse;

  /** The store under test; it may be shared by all tests of the class. */
  protected abstract CatalogStore store();

  @BeforeEach
  void createWarehouse() {
    store = store();
    Project project = new Project(ProjectId.random(), "p-" + UUID.randomUUID());
    store.createProject(project);
    warehouse = WarehouseId.random();
    store.createWarehouse(
        new Warehouse(warehouse, project.id(), "w", new TestStorageKind.Profile("/tmp/floe-store-test"), List.of()));
  }

  @Test
  public void aRenameAndAStorageChangeMadeTogetherBothHold() {
    Warehouse read = store.warehouse(warehouse).orElseThrow();
    // another request renames the warehouse between this one's read and its write
    store.renameWarehouse(warehouse, "renamed");
    Warehouse moved = read.withStorage(new TestStorageKind.Profile("/tmp/floe-store-test"), null);
    store.updateWarehouseStorage(read, moved);
    assertThat(store.warehouse(warehouse).orElseThrow().name()).isEqualTo("renamed");
    // a storage change decided on a storage that changed meanwhile fails rather than undo it
    Warehouse current = store.warehouse(warehouse).orElseThrow();
    Warehouse withCredential = current.withStorage(current.storage(), new io.floe.spi.secrets.SecretId(UUID.randomUUID()));
    store.updateWarehouseStorage(current, withCredential);
    assertThatThrownBy(() -> store.updateWarehouseStorage(current, current.withStorage(current.storage(), null)))
        .isInstanceOf(CommitConflictException.class);
    assertThat(store.warehouse(warehouse).orElseThrow().credential()).isEqualTo(withCredential.credential());
    assertThatThrownBy(() -> store.renameWarehouse(WarehouseId.random(), "x")).isInstanceOf(NotFoundException.class);
  }

  @Test
  public void listsChildNamespacesInPagesOfTheRequestedSize() {
    createNamespace("a");
    createNamespace("a", "x");
    createNamespace("a", "y");
    createNamespace("a", "z");
    createNamespace("b");

    Page<Namespace> first = store.listNamespaces(warehouse, Namespace.of("a"), new PageRequest(null, 2), ReadMode.PRIMARY);
    assertThat(first.items()).containsExactly(Namespace.of("a", "x"), Namespace.of("a", "y"));
    Page<Namespace> second =
        store.listNamespaces(warehouse, Namespace.of("a"), new PageRequest(first.nextPageToken(), 2), ReadMode.PRIMARY);
    assertThat(second.items()).containsExactly(Namespace.of("a", "z"));
    assertThat(second.nextPageToken()).isNull();
    assertThat(store.listNamespaces(warehouse, Namespace.empty(), PageRequest.ALL, ReadMode.PRIMARY).items())
        .containsExactly(Namespace.of("a"), Namespace.of("b"));
  }

  @Test
  public void refusesNamespaceWhoseParentIsMissing() {
    assertThatThrownBy(() -> createNamespace("missing", "child"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Namespace does not exist: missing");
  }

  @Test
  public void refusesToDropNamespaceWithTableOrChild() {
    createNamespace("ns");
    createNamespace("ns", "child");
    assertThatThrownBy(() -> store.dropNamespace(warehouse, Namespace.of("ns")))
        .isInstanceOf(NotEmptyException.class);
    store.dropNamespace(warehouse, Namespace.of("ns", "child"));
    createTable(TableIdentifier.of("ns", "t"));
    assertThatThrownBy(() -> store.dropNamespace(warehouse, Namespace.of("ns")))
        .isInstanceOf(NotEmptyException.class)
        .hasMessageContaining("is not empty");
  }

  @Test
  public void updatesNamespacePropertiesAndReturnsThePreviousOnes() {
    store.createNamespace(warehouse, new NamespaceEntry(UUID.randomUUID(), Namespace.of("ns"), Map.of("a", "1", "b", "2")));
    NamespaceEntry before =
        store.updateNamespaceProperties(warehouse, Namespace.of("ns"), Map.of("c", "3"), Set.of("a"));
    assertThat(before.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
    assertThat(store.namespace(warehouse, Namespace.of("ns"), ReadMode.PRIMARY).orElseThrow().properties())
        .containsExactlyInAnyOrderEntriesOf(Map.of("b", "2", "c", "3"));
  }

  @Test
  public void rejectsSwapFromStaleBase() {
    createNamespace("ns");
    TableIdentifier identifier = TableIdentifier.of("ns", "t");
    TableEntry created = createTable(identifier);
    TableMetadata base = created.metadata();

    TableMetadata first = next(base, Map.of("k", "1"));
    store.commitTables(warehouse, List.of(new TableWrite.Update(created.id(), identifier, base, first)));
    TableMetadata second = next(base, Map.of("k", "2"));

    assertThatThrownBy(
            () -> store.commitTables(warehouse, List.of(new TableWrite.Update(created.id(), identifier, base, second))))
        .isInstanceOf(CommitConflictException.class);
    assertThat(store.table(warehouse, identifier, ReadMode.PRIMARY).orElseThrow().metadata().properties())
        .containsEntry("k", "1");
  }

  @Test
  public void rollsBackEveryTableWhenOneSwapOfATransactionFails() {
    createNamespace("ns");
    TableIdentifier a = TableIdentifier.of("ns", "a");
    TableIdentifier b = TableIdentifier.of("ns", "b");
    TableEntry tableA = createTable(a);
    TableEntry tableB = createTable(b);
    TableMetadata movedB = next(tableB.metadata(), Map.of("k", "moved"));
    store.commitTables(warehouse, List.of(new TableWrite.Update(tableB.id(), b, tableB.metadata(), movedB)));

    TableMetadata newA = next(tableA.metadata(), Map.of("k", "a"));
    TableMetadata staleB = next(tableB.metadata(), Map.of("k", "b"));
    assertThatThrownBy(
            () ->
                store.commitTables(
                    warehouse,
                    List.of(
                        new TableWrite.Update(tableA.id(), a, tableA.metadata(), newA),
                        new TableWrite.Update(tableB.id(), b, tableB.metadata(), staleB))))
        .isInstanceOf(CommitConflictException.class);
    assertThat(store.table(warehouse, a, ReadMode.PRIMARY).orElseThrow().metadataLocation())
        .isEqualTo(tableA.metadataLocation());
  }

  @Test
  public void storesHistoryRowsAndLoadsTheSameMetadata() {
    createNamespace("ns");
    TableIdentifier identifier = TableIdentifier.of("ns", "t");
    TableEntry entry = createTable(identifier, Map.of(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "3"));
    TableMetadata current = entry.metadata();
    for (int i = 0; i < 12; i++) {
      TableMetadata.Builder builder = TableMetadata.buildFrom(current);
      long snapshotId = 1000 + i;
      builder.addSnapshot(snapshot(current, snapshotId));
      builder.setRef(SnapshotRef.MAIN_BRANCH, SnapshotRef.branchBuilder(snapshotId).build());
      if (i == 8) {
        builder.removeSnapshots(List.of(1000L, 1001L, 1002L));
      }
      TableMetadata updated = withLocation(builder.build(), "file:/tmp/t/metadata/" + (i + 1) + ".metadata.json");
      store.commitTables(warehouse, List.of(new TableWrite.Update(entry.id(), identifier, current, updated)));
      current = updated;
    }
    TableMetadata loaded = store.table(warehouse, identifier, ReadMode.PRIMARY).orElseThrow().metadata();
    assertThat(TableMetadataParser.toJson(loaded)).isEqualTo(TableMetadataParser.toJson(current));
    assertThat(loaded.previousFiles()).hasSize(3);
    assertThat(loaded.snapshots()).hasSize(9);
  }

  @Test
  public void keepsOneNameSpaceForTablesAndViews() {
    createNamespace("ns");
    TableIdentifier identifier = TableIdentifier.of("ns", "same");
    createTable(identifier);
    assertThatThrownBy(() -> createView(identifier))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Table with same name already exists: ns.same");
    assertThatThrownBy(() -> createTable(identifier))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Table already exists: ns.same");
    TableIdentifier view = TableIdentifier.of("ns", "v");
    createView(view);
    assertThatThrownBy(() -> store.renameTable(warehouse, identifier, view))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessage("Cannot rename ns.same to ns.v. View already exists");
  }

  @Test
  public void checksANameAndItsNamespaceTogether() {
    assertThat(store.nameCheck(warehouse, TableIdentifier.of("missing", "t"))).isEmpty();
    createNamespace("ns");
    NameCheck free = store.nameCheck(warehouse, TableIdentifier.of("ns", "t")).orElseThrow();
    assertThat(free.namespace().name()).isEqualTo(Namespace.of("ns"));
    assertThat(free.table()).isFalse();
    assertThat(free.view()).isFalse();
    createTable(TableIdentifier.of("ns", "t"));
    createView(TableIdentifier.of("ns", "v"));
    NameCheck table = store.nameCheck(warehouse, TableIdentifier.of("ns", "t")).orElseThrow();
    assertThat(table.table()).isTrue();
    assertThat(table.view()).isFalse();
    assertThat(table.namespace().id()).isEqualTo(free.namespace().id());
    NameCheck view = store.nameCheck(warehouse, TableIdentifier.of("ns", "v")).orElseThrow();
    assertThat(view.table()).isFalse();
    assertThat(view.view()).isTrue();
  }

  @Test
  public void refusesTableLocationsThatOverlapAnotherTable() {
    createNamespace("ns");
    createTableAt(TableIdentifier.of("ns", "a"), "s3://bucket/wh/a", Map.of());
    for (String location : List.of("s3://bucket/wh/a", "s3://bucket/wh/a/", "s3://bucket/wh/a/inner", "s3://bucket/wh")) {
      assertThatThrownBy(() -> createTableAt(TableIdentifier.of("ns", "b"), location, Map.of()))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("it overlaps the location s3://bucket/wh/a of table ns.a");
    }
    assertThat(store.table(warehouse, TableIdentifier.of("ns", "b"), ReadMode.PRIMARY)).isEmpty();
    assertThat(store.tableOverlapping(warehouse, "s3://bucket/wh/a/inner")).contains(TableIdentifier.of("ns", "a"));
    assertThat(store.tableOverlapping(warehouse, "s3://bucket/wh")).contains(TableIdentifier.of("ns", "a"));
    assertThat(store.tableOverlapping(warehouse, "s3://bucket/wh/a-sibling")).isEmpty();
    createTableAt(TableIdentifier.of("ns", "b"), "s3://bucket/wh/a-sibling", Map.of());
    assertThatThrownBy(() -> createTableAt(TableIdentifier.of("ns", "a"), "s3://bucket/other", Map.of()))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  public void ofTwoConcurrentCreatesAtNestedLocationsAtMostOneSucceeds() throws Exception {
    createNamespace("race");
    for (int round = 0; round < 10; round++) {
      String outer = "s3://bucket/race/r" + round;
      String[] locations = {outer, outer + "/inner"};
      java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<Thread> threads = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String location = locations[i];
        TableIdentifier identifier = TableIdentifier.of("race", "r" + round + "_" + i);
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            start.await();
            createTableAt(identifier, location, Map.of());
            created.incrementAndGet();
          } catch (BadRequestException | InterruptedException e) {
            // the other one won
          }
        }));
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(created.get()).as("round %d", round).isEqualTo(1);
    }
  }

  @Test
  public void renamesAcrossNamespacesKeepingTheId() {
    createNamespace("a");
    createNamespace("b");
    TableEntry created = createTable(TableIdentifier.of("a", "t"));
    store.renameTable(warehouse, TableIdentifier.of("a", "t"), TableIdentifier.of("b", "u"));
    assertThat(store.table(warehouse, TableIdentifier.of("a", "t"), ReadMode.PRIMARY)).isEmpty();
    assertThat(store.table(warehouse, TableIdentifier.of("b", "u"), ReadMode.PRIMARY).orElseThrow().id())
        .isEqualTo(created.id());
    assertThatThrownBy(() -> store.renameTable(warehouse, TableIdentifier.of("b", "u"), TableIdentifier.of("missing", "u")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Namespace does not exist: missing");
  }

  private void createNamespace(String... levels) {
    store.createNamespace(warehouse, new NamespaceEntry(UUID.randomUUID(), Namespace.of(levels), Map.of()));
  }

  private TableEntry createTable(TableIdentifier identifier) {
    return createTable(identifier, Map.of());
  }

  private TableEntry createTable(TableIdentifier identifier, Map<String, String> properties) {
    TabularId id = TabularId.random();
    return createTableAt(identifier, "file:/tmp/t/" + id, properties);
  }

  private TableEntry createTableAt(TableIdentifier identifier, String location, Map<String, String> properties) {
    TableMetadata metadata =
        TableMetadata.newTableMetadata(
            SCHEMA, PartitionSpec.unpartitioned(), SortOrder.unsorted(), location, properties);
    TableMetadata stored = withLocation(metadata, location + "/metadata/0.metadata.json");
    TabularId id = TabularId.random();
    store.commitTables(warehouse, List.of(new TableWrite.Create(id, identifier, stored)));
    return new TableEntry(id, identifier, stored);
  }

  private void createView(TableIdentifier identifier) {
    ViewMetadata metadata =
        ViewMetadata.builder()
            .assignUUID(UUID.randomUUID().toString())
            .setLocation("file:/tmp/v")
            .setCurrentVersion(
                ImmutableViewVersion.builder()
                    .versionId(1)
                    .schemaId(0)
                    .timestampMillis(System.currentTimeMillis())
                    .defaultNamespace(identifier.namespace())
                    .addRepresentations(
                        ImmutableSQLViewRepresentation.builder().dialect("spark").sql("select 1").build())
                    .build(),
                SCHEMA)
            .build();
    ViewMetadata stored =
        org.apache.iceberg.view.ViewMetadataParser.fromJson(
            "file:/tmp/v/metadata/0.metadata.json", org.apache.iceberg.view.ViewMetadataParser.toJson(metadata));
    store.createView(warehouse, new ViewEntry(TabularId.random(), identifier, stored));
  }

  private static TableMetadata next(TableMetadata base, Map<String, String> properties) {
    TableMetadata updated = TableMetadata.buildFrom(base).setProperties(properties).build();
    return withLocation(updated, base.metadataFileLocation() + "." + UUID.randomUUID());
  }

  private static TableMetadata withLocation(TableMetadata metadata, String location) {
    return TableMetadata.buildFrom(metadata).discardChanges().withMetadataLocation(location).build();
  }

  private static org.apache.iceberg.Snapshot snapshot(TableMetadata base, long snapshotId) {
    Long parent = base.currentSnapshot() == null ? null : base.currentSnapshot().snapshotId();
    String json =
        "{\"snapshot-id\":" + snapshotId
            + (parent == null ? "" : ",\"parent-snapshot-id\":" + parent)
            + ",\"sequence-number\":" + (base.lastSequenceNumber() + 1)
            + ",\"timestamp-ms\":" + (base.lastUpdatedMillis() + 1)
            + ",\"manifest-list\":\"file:/tmp/t/metadata/snap-" + snapshotId + ".avro\""
            + ",\"summary\":{\"operation\":\"append\"},\"schema-id\":0}";
    return org.apache.iceberg.SnapshotParser.fromJson(json);
  }
}
