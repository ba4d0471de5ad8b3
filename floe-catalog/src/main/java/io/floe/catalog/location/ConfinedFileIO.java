package io.floe.catalog.location;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FileIO} for the deletes the server makes on a table's behalf (purge, metadata files
 * dropped after a commit): it deletes only under the table's own roots. Every path it is asked
 * to delete was written by a client into a manifest, a metadata log or a registered metadata
 * file, and Floe deletes with its own long-lived key: without this, a writer of one table could
 * have the server delete another table's files. Paths elsewhere are skipped and logged.
 */
public final class ConfinedFileIO implements FileIO, SupportsBulkOperations {
  private static final Logger LOG = LoggerFactory.getLogger(ConfinedFileIO.class);

  private final FileIO delegate;
  private final List<String> roots;
  private final String owner;

  /**
   * @param roots the locations under which deletes are allowed
   * @param owner names the table in log lines
   */
  public ConfinedFileIO(FileIO delegate, List<String> roots, String owner) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.roots = List.copyOf(roots);
    this.owner = requireNonNull(owner, "owner is null");
  }

  /** Whether a delete of {@code path} would be carried out. */
  public boolean allows(String path) {
    for (String root : roots) {
      if (Locations.isUnder(root, path)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void deleteFile(String path) {
    if (allows(path)) {
      delegate.deleteFile(path);
    } else {
      skipped(path);
    }
  }

  @Override
  public void deleteFiles(Iterable<String> paths) throws BulkDeletionFailureException {
    List<String> allowed = new ArrayList<>();
    for (String path : paths) {
      if (allows(path)) {
        allowed.add(path);
      } else {
        skipped(path);
      }
    }
    if (allowed.isEmpty()) {
      return;
    }
    if (delegate instanceof SupportsBulkOperations bulk) {
      bulk.deleteFiles(allowed);
      return;
    }
    int failed = 0;
    for (String path : allowed) {
      try {
        delegate.deleteFile(path);
      } catch (RuntimeException e) {
        failed++;
        LOG.warn("Cannot delete {} of table {}: {}", path, owner, e.toString());
      }
    }
    if (failed > 0) {
      throw new BulkDeletionFailureException(failed);
    }
  }

  private void skipped(String path) {
    LOG.warn("Not deleting {} for table {}: outside the table's locations {}", path, owner, roots);
  }

  @Override
  public InputFile newInputFile(String path) {
    return delegate.newInputFile(path);
  }

  @Override
  public InputFile newInputFile(String path, long length) {
    return delegate.newInputFile(path, length);
  }

  /** The server writes nothing through this view. */
  @Override
  public OutputFile newOutputFile(String path) {
    throw new UnsupportedOperationException("A confined FileIO only reads and deletes");
  }

  @Override
  public Map<String, String> properties() {
    return delegate.properties();
  }

  @Override
  public void close() {
    // the delegate belongs to the warehouse's FileIO cache
  }
}
