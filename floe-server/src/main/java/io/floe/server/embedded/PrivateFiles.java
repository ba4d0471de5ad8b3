package io.floe.server.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files that hold secrets: created readable by their owner only, never for a moment by others. */
public final class PrivateFiles {
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private PrivateFiles() {}

  /**
   * Writes a new file with owner-only permissions set when it is created.
   *
   * @throws FileAlreadyExistsException if the file exists
   */
  public static void create(Path file, String content) throws IOException {
    try {
      Files.createFile(file, OWNER_ONLY);
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system
    }
    Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
