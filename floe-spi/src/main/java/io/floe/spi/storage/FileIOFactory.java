package io.floe.spi.storage;

import io.floe.spi.tenancy.StorageProfile;
import org.apache.iceberg.io.FileIO;

/**
 * Opens a warehouse's storage for the server's own reads and writes (metadata files, purges).
 * One factory per kind of storage; the server picks it by {@link StorageProfile#type()}.
 */
public interface FileIOFactory {
  /** The storage kind this factory serves, e.g. {@code local}. */
  String type();

  /**
   * Returns a FileIO for the profile. Callers may keep it for the lifetime of the profile and must
   * not close it; it is thread-safe.
   *
   * @throws io.floe.spi.error.UnavailableException if the storage cannot be reached
   */
  FileIO fileIO(StorageProfile profile);
}
