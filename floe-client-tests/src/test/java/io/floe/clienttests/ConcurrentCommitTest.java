package io.floe.clienttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Many clients commit to one table at once, with the client's own retries off so that every
 * conflict surfaces as a 409 that the test counts and retries itself. Afterwards every
 * acknowledged commit must be present and the snapshot history must be one straight line.
 */
class ConcurrentCommitTest {
  private static final int CLIENTS = 8;
  private static final int APPENDS_PER_CLIENT = 12;
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @Test
  void everyAcknowledgedCommitSurvivesConcurrentWriters() throws Exception {
    String warehouse = FloeServer.createWarehouse();
    TableIdentifier identifier = TableIdentifier.of(Namespace.of("load"), "events");
    try (RESTCatalog setup = FloeServer.catalog("setup", warehouse, Map.of())) {
      setup.createNamespace(identifier.namespace());
      setup.createTable(
          identifier, SCHEMA, PartitionSpec.unpartitioned(), Map.of(TableProperties.COMMIT_NUM_RETRIES, "0"));
    }

    Set<String> acknowledgedFiles = ConcurrentHashMap.newKeySet();
    Map<String, String> acknowledgedProperties = new ConcurrentHashMap<>();
    Set<String> acknowledgedColumns = ConcurrentHashMap.newKeySet();
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> clients = new ArrayList<>();
    for (int client = 0; client < CLIENTS; client++) {
      int number = client;
      clients.add(
          pool.submit(
              () -> {
                try (RESTCatalog catalog = FloeServer.catalog("client-" + number, warehouse, Map.of())) {
                  Table table = catalog.loadTable(identifier);
                  for (int i = 0; i < APPENDS_PER_CLIENT; i++) {
                    DataFile file = dataFile(number, i);
                    while (true) {
                      try {
                        table.newFastAppend().appendFile(file).commit();
                        acknowledgedFiles.add(file.location());
                        break;
                      } catch (CommitFailedException e) {
                        conflicts.incrementAndGet();
                        table.refresh();
                      }
                    }
                    if (i == APPENDS_PER_CLIENT / 2) {
                      // a schema change carries requirements on the current schema: conflicts are 409s
                      while (true) {
                        try {
                          table.updateSchema().addColumn("column_" + number, Types.StringType.get()).commit();
                          acknowledgedColumns.add("column_" + number);
                          break;
                        } catch (CommitFailedException e) {
                          conflicts.incrementAndGet();
                          table.refresh();
                        }
                      }
                    }
                    if (i % 4 == 3) {
                      // property updates carry no requirement on history: the server merges them itself
                      while (true) {
                        try {
                          table.updateProperties().set("client-" + number, Integer.toString(i)).commit();
                          acknowledgedProperties.put("client-" + number, Integer.toString(i));
                          break;
                        } catch (CommitFailedException e) {
                          conflicts.incrementAndGet();
                          table.refresh();
                        }
                      }
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> client : clients) {
      client.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();

    try (RESTCatalog reader = FloeServer.catalog("reader", warehouse, Map.of())) {
      Table table = reader.loadTable(identifier);
      Set<String> present = new HashSet<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(task -> present.add(task.file().location()));
      }
      assertThat(acknowledgedFiles).hasSize(CLIENTS * APPENDS_PER_CLIENT);
      assertThat(present).isEqualTo(acknowledgedFiles);
      assertThat(table.properties()).containsAllEntriesOf(acknowledgedProperties);
      assertThat(acknowledgedColumns).hasSize(CLIENTS);
      for (String column : acknowledgedColumns) {
        assertThat(table.schema().findField(column)).as(column).isNotNull();
      }

      List<Snapshot> history = new ArrayList<>();
      table.snapshots().forEach(history::add);
      assertThat(history).hasSize(CLIENTS * APPENDS_PER_CLIENT);
      for (int i = 1; i < history.size(); i++) {
        assertThat(history.get(i).parentId()).isEqualTo(history.get(i - 1).snapshotId());
        assertThat(history.get(i).sequenceNumber()).isEqualTo(history.get(i - 1).sequenceNumber() + 1);
      }
      assertThat(table.history()).hasSize(CLIENTS * APPENDS_PER_CLIENT);
    }
    System.out.printf(
        "concurrent commits: %d clients x %d appends, %d conflicts (409) retried by the clients%n",
        CLIENTS, APPENDS_PER_CLIENT, conflicts.get());
  }

  private static DataFile dataFile(int client, int index) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("/tmp/floe-concurrency/client-" + client + "/file-" + index + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .withFormat("parquet")
        .build();
  }
}
