package io.floe.storage.local;

import com.fasterxml.jackson.core.JsonGenerator;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.storage.StorageKind;
import io.floe.spi.tenancy.ProfileJson;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.util.Set;

/** Files on the server's own file system: {@code {"type": "local", "root": "/data/lake"}}. */
public final class LocalStorageKind implements StorageKind {
  static final String ROOT = "root";

  private final LocalFileIOFactory fileIO = new LocalFileIOFactory();

  @Override
  public String type() {
    return LocalStorageProfile.TYPE;
  }

  @Override
  public StorageProfile parse(ProfileJson json) {
    return new LocalStorageProfile(json.allow(Set.of(ROOT)).text(ROOT));
  }

  @Override
  public void write(StorageProfile profile, JsonGenerator generator) throws IOException {
    generator.writeStringField(ROOT, profile.root());
  }

  @Override
  public FileIOFactory fileIOFactory() {
    return fileIO;
  }
}
