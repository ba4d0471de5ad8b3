package io.floe.store.postgres;

import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;

/**
 * About how much memory parsed table metadata takes: the cache that holds it is bounded in bytes,
 * and counting what grows (snapshots and their summaries, the metadata and snapshot logs,
 * properties, schema fields) is cheap where measuring the object graph is not. The figures per
 * element are what a heap histogram of loaded metadata showed, rounded up.
 */
final class MetadataSize {
  private MetadataSize() {}

  static int kilobytes(TableMetadata metadata) {
    long bytes = 4096;
    for (Snapshot snapshot : metadata.snapshots()) {
      Map<String, String> summary = snapshot.summary();
      bytes += 512 + 160L * (summary == null ? 0 : summary.size());
    }
    bytes += 192L * metadata.previousFiles().size();
    bytes += 96L * metadata.snapshotLog().size();
    bytes += 192L * metadata.properties().size();
    for (Schema schema : metadata.schemas()) {
      bytes += 256 + 192L * schema.columns().size();
    }
    bytes += 256L * (metadata.specs().size() + metadata.sortOrders().size() + metadata.refs().size());
    bytes += 512L * (metadata.statisticsFiles().size() + metadata.partitionStatisticsFiles().size());
    return (int) Math.min(Integer.MAX_VALUE, bytes / 1024 + 1);
  }
}
