package io.floe.storage.local;

import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.FileIOFactory;
import java.util.Optional;
import io.floe.storage.local.LocalStorageProfile;
import io.floe.spi.tenancy.StorageProfile;
import io.floe.storage.local.LocalFileIO;
import org.apache.iceberg.io.FileIO;

/** Local files; lives here because floe-storage-local stays loadable by Java 17 clients. */
public final class LocalFileIOFactory implements FileIOFactory {
  @Override
  public String type() {
    return LocalStorageProfile.TYPE;
  }

  @Override
  public FileIO fileIO(StorageProfile profile, Optional<Secret> credential) {
    return new LocalFileIO();
  }
}
