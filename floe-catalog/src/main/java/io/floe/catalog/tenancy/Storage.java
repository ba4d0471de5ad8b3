package io.floe.catalog.tenancy;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.UnavailableException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.secrets.SecretId;
import io.floe.spi.secrets.SecretStore;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.tenancy.StorageProfile;
import io.floe.spi.tenancy.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * Opens each warehouse's storage through the factory registered for its kind, with the
 * warehouse's stored credential. A FileIO is kept per profile and credential: a warehouse whose
 * profile or credential changes gets a new one, and the old one is closed when it ages out.
 */
public final class Storage implements AutoCloseable {
  private static final java.time.Duration CLOSE_DELAY = java.time.Duration.ofMinutes(1);

  private final Map<String, FileIOFactory> factories;
  private final SecretStore secrets;
  private final Cache<Key, FileIO> open;

  private record Key(StorageProfile profile, Optional<SecretId> credential) {}

  public Storage(List<FileIOFactory> factories, SecretStore secrets) {
    this.factories =
        requireNonNull(factories, "factories is null").stream()
            .collect(Collectors.toUnmodifiableMap(FileIOFactory::type, Function.identity()));
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.open =
        Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(java.time.Duration.ofHours(1))
            .removalListener((Key key, FileIO io, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
              if (io != null) {
                // a request that took this FileIO just before it left the cache may still use it
                Thread.ofVirtual().name("floe-fileio-close").start(() -> closeLater(io));
              }
            })
            .build();
  }

  /** Whether a kind of storage can be used by this server. */
  public boolean supports(String type) {
    return factories.containsKey(type);
  }

  /** The FileIO of a warehouse, with its stored credential. */
  public FileIO fileIO(Warehouse warehouse) {
    return open.get(
        new Key(warehouse.storage(), warehouse.credential()),
        key -> factory(key.profile()).fileIO(key.profile(), credential(warehouse)));
  }

  /**
   * The warehouse's long-lived storage credential, read from the secret store.
   *
   * @throws UnavailableException if the warehouse names a secret that is gone or unreadable
   */
  public Optional<Secret> credential(Warehouse warehouse) {
    if (warehouse.credential().isEmpty()) {
      return Optional.empty();
    }
    SecretId id = warehouse.credential().get();
    return Optional.of(
        secrets
            .read(id)
            .orElseThrow(
                () ->
                    new UnavailableException(
                        "Cannot use warehouse %s: its storage credential is missing from the secret store",
                        warehouse.name())));
  }

  /**
   * Checks that Floe can use a storage profile with a credential: it writes, reads back and
   * deletes a small object under the profile's root.
   *
   * @throws BadRequestException saying what failed
   */
  public void probe(StorageProfile profile, Optional<Secret> credential) {
    FileIO io;
    try {
      io = factory(profile).fileIO(profile, credential);
    } catch (BadRequestException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BadRequestException(e, "Cannot use storage profile: %s", e.getMessage());
    }
    String location = profile.root() + "/.floe-probe-" + UUID.randomUUID();
    byte[] content = ("Floe storage probe " + location).getBytes(StandardCharsets.UTF_8);
    String step = "write";
    try (io) {
      OutputFile output = io.newOutputFile(location);
      try (PositionOutputStream stream = output.createOrOverwrite()) {
        stream.write(content);
      }
      step = "read";
      byte[] read;
      try (InputStream stream = io.newInputFile(location).newStream()) {
        read = readAll(stream);
      }
      if (!Arrays.equals(read, content)) {
        throw new IllegalStateException("the object read back differs from the one written");
      }
      step = "delete";
      io.deleteFile(location);
    } catch (IOException | RuntimeException e) {
      throw new BadRequestException(
          e, "Cannot use storage profile: cannot %s the probe object %s: %s", step, location, describe(e));
    }
  }

  @Override
  public void close() {
    open.invalidateAll();
    open.cleanUp();
  }

  private static void closeLater(FileIO io) {
    try {
      Thread.sleep(CLOSE_DELAY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    io.close();
  }

  private FileIOFactory factory(StorageProfile profile) {
    FileIOFactory factory = factories.get(profile.type());
    if (factory == null) {
      throw new BadRequestException("Unsupported storage type: %s", profile.type());
    }
    return factory;
  }

  private static byte[] readAll(InputStream stream) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    stream.transferTo(out);
    return out.toByteArray();
  }

  /** The innermost message, which is where storage clients say what the server answered. */
  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    return cause == e ? message : e.getMessage() + " (" + message + ")";
  }
}
