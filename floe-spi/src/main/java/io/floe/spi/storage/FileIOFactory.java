package io.floe.spi.storage;

import io.floe.spi.secrets.Secret;
import io.floe.spi.tenancy.StorageProfile;
import java.util.Optional;
import org.apache.iceberg.io.FileIO;

/**
 * Opens a warehouse's storage for the server's own reads and writes (metadata files, probes,
 * purges). One factory per kind of storage; the server picks it by {@link StorageProfile#type()}.
 */
public interface FileIOFactory {
  /** The storage kind this factory serves, e.g. {@code local}. */
  String type();

  /**
   * Returns a FileIO for the profile. The caller keeps it while the profile and credential stay
   * the same and closes it afterwards; it is thread-safe.
   *
   * @param credential the warehouse's long-lived credential, if it has one
   * @throws io.floe.spi.error.BadRequestException if the profile or credential cannot be used
   * @throws io.floe.spi.error.UnavailableException if the storage cannot be reached
   */
  FileIO fileIO(StorageProfile profile, Optional<Secret> credential);
}
