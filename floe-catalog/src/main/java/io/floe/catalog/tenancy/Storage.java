package io.floe.catalog.tenancy;

import static java.util.Objects.requireNonNull;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.tenancy.StorageProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.io.FileIO;

/** Opens each warehouse's storage through the factory registered for its kind. */
public final class Storage {
  private final Map<String, FileIOFactory> factories;
  private final Map<StorageProfile, FileIO> open = new ConcurrentHashMap<>();

  public Storage(List<FileIOFactory> factories) {
    this.factories =
        requireNonNull(factories, "factories is null").stream()
            .collect(Collectors.toUnmodifiableMap(FileIOFactory::type, Function.identity()));
  }

  /** Whether a kind of storage can be used by this server. */
  public boolean supports(String type) {
    return factories.containsKey(type);
  }

  /** The FileIO of a storage profile; profiles are values, so one FileIO serves equal profiles. */
  public FileIO fileIO(StorageProfile profile) {
    return open.computeIfAbsent(
        profile,
        p -> {
          FileIOFactory factory = factories.get(p.type());
          if (factory == null) {
            throw new BadRequestException("Unsupported storage type: %s", p.type());
          }
          return factory.fileIO(p);
        });
  }
}
