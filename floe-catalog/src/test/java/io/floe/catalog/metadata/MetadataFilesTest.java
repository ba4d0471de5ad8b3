package io.floe.catalog.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class MetadataFilesTest {
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @Test
  void numbersMetadataFilesAfterThePreviousOne() {
    TableMetadata metadata = table(Map.of());
    assertThat(MetadataFiles.nextTableLocation(metadata, null))
        .matches("file:/w/t/metadata/00000-[0-9a-f-]{36}\\.metadata\\.json");
    assertThat(MetadataFiles.nextTableLocation(metadata, "file:/w/t/metadata/00041-abc.metadata.json"))
        .startsWith("file:/w/t/metadata/00042-");
  }

  @Test
  void honoursMetadataPathAndCompression() {
    TableMetadata metadata =
        table(Map.of("write.metadata.path", "file:/w/meta/", "write.metadata.compression-codec", "gzip"));
    assertThat(MetadataFiles.nextTableLocation(metadata, null))
        .matches("file:/w/meta/00000-[0-9a-f-]{36}\\.gz\\.metadata\\.json");
  }

  @Test
  void readsVersionsOfIcebergAndForeignNames() {
    assertThat(MetadataFiles.version("s3://b/t/metadata/00007-0c3a.metadata.json")).isEqualTo(7);
    assertThat(MetadataFiles.version("s3://b/t/metadata/v3.metadata.json")).isEqualTo(-1);
    assertThat(MetadataFiles.version(null)).isEqualTo(-1);
  }

  private static TableMetadata table(Map<String, String> properties) {
    return TableMetadata.newTableMetadata(
        SCHEMA, PartitionSpec.unpartitioned(), SortOrder.unsorted(), "file:/w/t", properties);
  }
}
