package io.floe.clienttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Iceberg's own catalog contract suite, run through RESTCatalog against Floe over HTTP. */
class IcebergCatalogTest extends FloeCatalogTests {
  @Override
  protected String createWarehouse() {
    return FloeServer.createWarehouse();
  }

  @Override
  protected RESTCatalog catalog(String name, String warehouse, Map<String, String> properties) {
    return FloeServer.catalog(name, warehouse, properties);
  }

  /**
   * Iceberg's version of this test expects a load to fail once the current metadata file is gone,
   * which only a catalog that reads object storage on every load can do. Floe serves a load from
   * the database alone (a design rule: no object-storage read on the hot path), so the same
   * situation loads the table; this override checks exactly that instead.
   */
  @Override
  @Test
  public void testLoadTableWithMissingMetadataFile(@TempDir Path tempDir) throws IOException {
    TableIdentifier identifier = TableIdentifier.of(Namespace.of("ns"), "tbl");
    catalog.createNamespace(identifier.namespace());
    Table table =
        catalog.createTable(identifier, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
    String metadataLocation = ((HasTableOperations) table).operations().current().metadataFileLocation();
    Path metadataFile =
        metadataLocation.startsWith("file:") ? Paths.get(URI.create(metadataLocation)) : Paths.get(metadataLocation);
    Path moved = tempDir.resolve("moved.json");
    Files.move(metadataFile, moved, StandardCopyOption.REPLACE_EXISTING);
    try {
      Table loaded = catalog.loadTable(identifier);
      assertThat(((HasTableOperations) loaded).operations().current().metadataFileLocation())
          .isEqualTo(metadataLocation);
      assertThat(loaded.schema().asStruct()).isEqualTo(table.schema().asStruct());
    } finally {
      Files.move(moved, metadataFile, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
