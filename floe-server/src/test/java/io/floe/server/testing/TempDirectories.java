package io.floe.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Removes what a test put under a temporary directory: an embedded PostgreSQL's runtime and cluster
 * take about 200 MB, and a run that leaves them behind fills the disk over a few dozen runs.
 */
public final class TempDirectories {
  private TempDirectories() {}

  /** Deletes a directory and all it holds; nothing when it is already gone. */
  public static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
