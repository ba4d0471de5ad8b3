package io.floe.clienttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Iceberg Java client (RESTCatalog with S3FileIO) writes, commits and reads an S3 table with
 * no key of its own: once with vended credentials, once with every request signed by Floe.
 */
class S3EngineTest {
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private static String bucket;

  @BeforeAll
  static void createBucket() {
    bucket = S3Service.createBucket("engine");
  }

  @ParameterizedTest
  @ValueSource(strings = {"vended-credentials", "remote-signing"})
  void writesCommitsAndReadsWithoutStaticKeys(String delegation) throws Exception {
    String warehouse = S3Service.createWarehouse(bucket, "e" + UUID.randomUUID().toString().substring(0, 8));
    try (RESTCatalog catalog = S3Service.catalog("engine", warehouse, delegation, Map.of())) {
      Namespace namespace = Namespace.of("sales");
      catalog.createNamespace(namespace);
      Table table = catalog.createTable(TableIdentifier.of(namespace, "orders"), SCHEMA, PartitionSpec.unpartitioned());
      Map<String, String> io = table.io().properties();
      if (delegation.equals("remote-signing")) {
        assertThat(io).containsEntry("s3.remote-signing-enabled", "true").doesNotContainKey("s3.session-token");
      } else {
        assertThat(io).containsKey("s3.session-token").containsKey("client.refresh-credentials-endpoint");
      }

      List<DataFile> files = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        files.add(write(table, "part-" + i, "rows of part " + i));
      }
      table.newAppend().appendFile(files.get(0)).appendFile(files.get(1)).commit();
      table.newAppend().appendFile(files.get(2)).commit();

      Table reloaded = catalog.loadTable(TableIdentifier.of(namespace, "orders"));
      assertThat(reloaded.snapshots()).hasSize(2);
      List<String> contents = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = reloaded.newScan().planFiles()) {
        for (FileScanTask task : tasks) {
          contents.add(read(reloaded.io(), task.file().location()));
        }
      }
      assertThat(contents).containsExactlyInAnyOrder("rows of part 0", "rows of part 1", "rows of part 2");

      // another table's files stay out of reach of this table's FileIO
      Table other = catalog.createTable(TableIdentifier.of(namespace, "other"), SCHEMA, PartitionSpec.unpartitioned());
      DataFile foreign = write(other, "foreign", "not yours");
      assertThatThrownBy(() -> read(reloaded.io(), foreign.location())).isInstanceOf(RuntimeException.class);

      // a bulk delete (S3 DeleteObjects, keys in the body) inside the table
      ((SupportsBulkOperations) reloaded.io()).deleteFiles(List.of(files.get(0).location(), files.get(1).location()));
      assertThat(reloaded.io().newInputFile(files.get(0).location()).exists()).isFalse();
      assertThat(reloaded.io().newInputFile(files.get(2).location()).exists()).isTrue();
    }
  }

  private static DataFile write(Table table, String name, String content) throws IOException {
    OutputFile output = table.io().newOutputFile(table.location() + "/data/" + name + ".bin");
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try (OutputStream stream = output.createOrOverwrite()) {
      stream.write(bytes);
    }
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(output.location())
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(bytes.length)
        .withRecordCount(1)
        .build();
  }

  private static String read(FileIO io, String location) throws IOException {
    try (InputStream stream = io.newInputFile(location).newStream()) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
