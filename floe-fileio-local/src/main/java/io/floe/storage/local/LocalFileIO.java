package io.floe.storage.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * A FileIO over the local file system without Hadoop. Locations may be plain absolute paths or
 * {@code file:} URIs. Iceberg clients may load it too ({@code io-impl}), so it stays on Java 17.
 */
public class LocalFileIO implements FileIO, SupportsPrefixOperations {

  public LocalFileIO() {}

  @Override
  public InputFile newInputFile(String location) {
    return new LocationInputFile(org.apache.iceberg.Files.localInput(toPath(location).toFile()), location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocationOutputFile(org.apache.iceberg.Files.localOutput(toPath(location).toFile()), location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(toPath(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete file: " + location, e);
    }
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = toPath(prefix);
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .map(
              path -> {
                try {
                  return new FileInfo(
                      "file:" + path, Files.size(path), Files.getLastModifiedTime(path).toMillis());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list prefix: " + prefix, e);
    }
  }

  @Override
  public void deletePrefix(String prefix) {
    Path root = toPath(prefix);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        try {
          Files.deleteIfExists(path);
        } catch (NoSuchFileException ignored) {
          // deleted concurrently: the goal is reached
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete prefix: " + prefix, e);
    }
  }

  /** Turns {@code file:/a}, {@code file:///a} or {@code /a} into a path. */
  public static Path toPath(String location) {
    String path = location;
    if (path.startsWith("file://")) {
      path = path.substring("file://".length());
    } else if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    return Paths.get(path);
  }
}
