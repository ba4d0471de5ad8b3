package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** The metadata cache's weights grow with what makes metadata big, not with snapshots alone. */
class MetadataSizeTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()), Types.NestedField.optional(2, "data", Types.StringType.get()));

  @Test
  void aLongHistoryOfPropertyChangesWeighsWhatItHolds() {
    TableMetadata metadata =
        TableMetadata.buildFrom(
                TableMetadata.newTableMetadata(SCHEMA, PartitionSpec.unpartitioned(), SortOrder.unsorted(), "file:/t", Map.of()))
            .discardChanges()
            .withMetadataLocation("file:/t/metadata/00000.metadata.json")
            .build();
    int fresh = MetadataSize.kilobytes(metadata);
    // a hundred commits of one property each, no snapshot: the metadata log and the properties grow
    for (int i = 1; i <= 100; i++) {
      TableMetadata changed = TableMetadata.buildFrom(metadata).setProperties(Map.of("k" + i, "v")).build();
      metadata =
          TableMetadata.buildFrom(changed).discardChanges().withMetadataLocation("file:/t/metadata/" + i + ".metadata.json").build();
    }
    assertThat(metadata.snapshots()).isEmpty();
    assertThat(metadata.previousFiles()).hasSizeGreaterThanOrEqualTo(99);
    int grown = MetadataSize.kilobytes(metadata);
    assertThat(fresh).isBetween(4, 8);
    // 100 log entries and 100 properties: about 37 KB more, where a weight by snapshots saw none
    assertThat(grown - fresh).isBetween(30, 45);
  }
}
