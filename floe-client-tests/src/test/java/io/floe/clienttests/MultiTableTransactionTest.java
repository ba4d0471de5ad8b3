package io.floe.clienttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** {@code /transactions/commit}: every table changes, or none does. */
class MultiTableTransactionTest {
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @Test
  void commitsAllTablesOrNone() throws Exception {
    try (RESTCatalog catalog = FloeServer.catalog("tx", FloeServer.createWarehouse(), Map.of())) {
      TableIdentifier a = TableIdentifier.of(Namespace.of("tx"), "a");
      TableIdentifier b = TableIdentifier.of(Namespace.of("tx"), "b");
      catalog.createNamespace(a.namespace());
      catalog.createTable(a, SCHEMA, PartitionSpec.unpartitioned());
      catalog.createTable(b, SCHEMA, PartitionSpec.unpartitioned());

      TableMetadata baseA = metadata(catalog, a);
      TableMetadata baseB = metadata(catalog, b);
      catalog.commitTransaction(
          TableCommit.create(a, baseA, TableMetadata.buildFrom(baseA).setProperties(Map.of("step", "1")).build()),
          TableCommit.create(b, baseB, TableMetadata.buildFrom(baseB).setProperties(Map.of("step", "1")).build()));
      assertThat(catalog.loadTable(a).properties()).containsEntry("step", "1");
      assertThat(catalog.loadTable(b).properties()).containsEntry("step", "1");

      TableMetadata currentA = metadata(catalog, a);
      TableMetadata staleB = metadata(catalog, b);
      catalog.loadTable(b).updateSchema().addColumn("moved", Types.StringType.get()).commit();
      TableMetadata schemaChangeOnStaleB =
          TableMetadata.buildFrom(staleB)
              .setCurrentSchema(new Schema(
                  Types.NestedField.required(1, "id", Types.LongType.get()),
                  Types.NestedField.optional(2, "other", Types.IntegerType.get())), 2)
              .build();
      assertThatThrownBy(
              () ->
                  catalog.commitTransaction(
                      TableCommit.create(
                          a, currentA, TableMetadata.buildFrom(currentA).setProperties(Map.of("step", "2")).build()),
                      TableCommit.create(b, staleB, schemaChangeOnStaleB)))
          .isInstanceOf(CommitFailedException.class);
      assertThat(catalog.loadTable(a).properties()).containsEntry("step", "1");
      assertThat(metadata(catalog, a).metadataFileLocation()).isEqualTo(currentA.metadataFileLocation());
    }
  }

  private static TableMetadata metadata(RESTCatalog catalog, TableIdentifier identifier) {
    return ((BaseTable) catalog.loadTable(identifier)).operations().current();
  }
}
