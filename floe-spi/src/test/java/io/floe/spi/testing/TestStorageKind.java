package io.floe.spi.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import io.floe.spi.storage.FileIOFactory;
import io.floe.spi.storage.StorageKind;
import io.floe.spi.tenancy.ProfileJson;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.util.Set;
import org.apache.iceberg.inmemory.InMemoryFileIO;

/**
 * A storage kind of the tests' own, {@code {"type": "test", "root": "..."}}, so that the SPI's
 * contract tests need no storage module: found through the test jar's service file.
 */
public final class TestStorageKind implements StorageKind {
  public static final String TYPE = "test";

  /** A profile of this kind: files under {@code root}, in memory. */
  public record Profile(String root) implements StorageProfile {
    @Override
    public String type() {
      return TYPE;
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StorageProfile parse(ProfileJson json) {
    return new Profile(json.allow(Set.of("root")).text("root"));
  }

  @Override
  public void write(StorageProfile profile, JsonGenerator generator) throws IOException {
    generator.writeStringField("root", profile.root());
  }

  @Override
  public FileIOFactory fileIOFactory() {
    return new FileIOFactory() {
      @Override
      public String type() {
        return TYPE;
      }

      @Override
      public org.apache.iceberg.io.FileIO fileIO(StorageProfile profile, java.util.Optional<io.floe.spi.secrets.Secret> credential) {
        return new InMemoryFileIO();
      }
    };
  }
}
