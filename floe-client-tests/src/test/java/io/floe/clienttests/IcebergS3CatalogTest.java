package io.floe.clienttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Iceberg's catalog contract suite against S3 warehouses: Floe writes metadata with S3FileIO and
 * the client's S3FileIO holds only the credentials Floe vends for each table.
 */
class IcebergS3CatalogTest extends FloeCatalogTests {
  private static String bucket;
  private String prefix;

  @BeforeAll
  static void createBucket() {
    bucket = S3Service.createBucket("catalogtests");
  }

  @Override
  protected String createWarehouse() {
    prefix = "w" + UUID.randomUUID().toString().substring(0, 8);
    return S3Service.createWarehouse(bucket, prefix);
  }

  @Override
  protected RESTCatalog catalog(String name, String warehouse, Map<String, String> properties) {
    return S3Service.catalog(name, warehouse, "vended-credentials", properties);
  }

  /** Tables that ask for a location get one inside the warehouse's bucket and prefix. */
  @Override
  protected String baseTableLocation(TableIdentifier identifier) {
    return "s3://" + bucket + "/" + prefix + "/custom/" + String.join("/", identifier.namespace().levels())
        + "/" + identifier.name();
  }

  /**
   * Iceberg's version replaces the table at a new location. With vended credentials that cannot
   * work on any catalog: the client writes the replacement's manifests before the catalog learns
   * the new location, holding credentials scoped to the old one, and S3 refuses (AccessDenied).
   * This runs the same replace at the table's own location, and checks the refusal at a new one.
   */
  @Override
  @Test
  public void testCompleteReplaceTransaction() {
    replaceInPlace(
        () ->
            catalog.buildTable(TABLE, SCHEMA)
                .withPartitionSpec(SPEC)
                .withSortOrder(WRITE_ORDER)
                .withProperties(Map.of("user", "someone"))
                .replaceTransaction());
    Transaction moved = catalog.buildTable(TABLE, SCHEMA).withLocation(baseTableLocation(TABLE)).replaceTransaction();
    assertThatThrownBy(() -> moved.newFastAppend().appendFile(FILE_B).commit())
        .hasMessageContaining("Access Denied");
  }

  /** The create-or-replace twin of {@link #testCompleteReplaceTransaction}. */
  @Override
  @Test
  public void testCompleteCreateOrReplaceTransactionReplace() {
    replaceInPlace(
        () ->
            catalog.buildTable(TABLE, SCHEMA)
                .withPartitionSpec(SPEC)
                .withProperties(Map.of("user", "someone"))
                .createOrReplaceTransaction());
  }

  /** Creates the table, replaces it in place with one file, and checks what the replace left. */
  private void replaceInPlace(Supplier<Transaction> replacement) {
    catalog.createNamespace(NS);
    catalog.buildTable(TABLE, OTHER_SCHEMA).create();
    Transaction replace = replacement.get();
    replace.newFastAppend().appendFile(FILE_A).commit();
    replace.commitTransaction();
    Table loaded = catalog.loadTable(TABLE);
    // a replace assigns fresh field ids: compare names and types
    assertThat(loaded.schema().columns())
        .extracting(field -> field.name() + ":" + field.type())
        .containsExactlyElementsOf(SCHEMA.columns().stream().map(field -> field.name() + ":" + field.type()).toList());
    assertThat(loaded.spec().fields()).hasSize(SPEC.fields().size());
    assertThat(loaded.properties()).containsEntry("user", "someone");
    assertThat(loaded.currentSnapshot().addedDataFiles(loaded.io())).hasSize(1);
  }

  /** As in {@link IcebergCatalogTest}: a load is served from the database, so it still succeeds. */
  @Override
  @Test
  public void testLoadTableWithMissingMetadataFile(@TempDir Path tempDir) {
    TableIdentifier identifier = TableIdentifier.of(Namespace.of("ns"), "tbl");
    catalog.createNamespace(identifier.namespace());
    Table table =
        catalog.createTable(identifier, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
    String metadataLocation = ((HasTableOperations) table).operations().current().metadataFileLocation();
    String key = metadataLocation.substring(("s3://" + bucket + "/").length());
    try (S3Client admin = S3Service.admin()) {
      admin.copyObject(r -> r.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key + ".moved"));
      admin.deleteObject(r -> r.bucket(bucket).key(key));
      try {
        Table loaded = catalog.loadTable(identifier);
        assertThat(((HasTableOperations) loaded).operations().current().metadataFileLocation())
            .isEqualTo(metadataLocation);
      } finally {
        admin.copyObject(r -> r.sourceBucket(bucket).sourceKey(key + ".moved").destinationBucket(bucket).destinationKey(key));
      }
    }
  }
}
