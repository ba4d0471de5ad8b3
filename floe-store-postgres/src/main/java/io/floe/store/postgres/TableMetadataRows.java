package io.floe.store.postgres;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.filter.FilteringGeneratorDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.core.filter.TokenFilter.Inclusion;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.util.JsonUtil;

/**
 * Splits table metadata into the part that is rewritten on each commit (schemas, specs, refs,
 * properties...) and the parts that grow with history (snapshots, snapshot log, metadata log),
 * which are stored one row per entry; and joins them back for a load.
 */
final class TableMetadataRows {
  static final String SNAPSHOTS = "snapshots";
  static final String SNAPSHOT_LOG = "snapshot-log";
  static final String METADATA_LOG = "metadata-log";
  private static final Set<String> HISTORY = Set.of(SNAPSHOTS, SNAPSHOT_LOG, METADATA_LOG);

  /** A snapshot log entry as stored. */
  record SnapshotLogRow(long timestampMillis, long snapshotId) {}

  /** A metadata log entry as stored. */
  record MetadataLogRow(long timestampMillis, String file) {}

  private TableMetadataRows() {}

  /** The metadata JSON without its history arrays. */
  static String core(TableMetadata metadata) {
    StringWriter writer = new StringWriter(4096);
    try (JsonGenerator generator = JsonUtil.factory().createGenerator(writer);
        JsonGenerator filtered =
            new FilteringGeneratorDelegate(generator, new WithoutHistory(), Inclusion.INCLUDE_ALL_AND_PATH, true)) {
      TableMetadataParser.toJson(metadata, filtered);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toString();
  }

  static String snapshot(org.apache.iceberg.Snapshot snapshot) {
    return SnapshotParser.toJson(snapshot);
  }

  /** Joins the stored parts into the metadata JSON Iceberg's parser reads. */
  static TableMetadata assemble(
      String metadataLocation,
      String core,
      List<String> snapshots,
      List<SnapshotLogRow> snapshotLog,
      List<MetadataLogRow> metadataLog) {
    int end = core.lastIndexOf('}');
    StringBuilder json = new StringBuilder(core.length() + snapshots.size() * 512 + 256);
    json.append(core, 0, end);
    json.append(",\"").append(SNAPSHOTS).append("\":[");
    for (int i = 0; i < snapshots.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(snapshots.get(i));
    }
    json.append("],\"").append(SNAPSHOT_LOG).append("\":[");
    for (int i = 0; i < snapshotLog.size(); i++) {
      SnapshotLogRow row = snapshotLog.get(i);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"timestamp-ms\":").append(row.timestampMillis())
          .append(",\"snapshot-id\":").append(row.snapshotId()).append('}');
    }
    json.append("],\"").append(METADATA_LOG).append("\":[");
    for (int i = 0; i < metadataLog.size(); i++) {
      MetadataLogRow row = metadataLog.get(i);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"timestamp-ms\":").append(row.timestampMillis())
          .append(",\"metadata-file\":").append(quote(row.file())).append('}');
    }
    json.append("]}");
    return TableMetadataParser.fromJson(metadataLocation, json.toString());
  }

  private static String quote(String text) {
    try {
      return JsonUtil.mapper().writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops the history arrays at the top level; everything else passes. */
  private static final class WithoutHistory extends TokenFilter {
    @Override
    public TokenFilter includeProperty(String name) {
      return HISTORY.contains(name) ? null : TokenFilter.INCLUDE_ALL;
    }
  }
}
