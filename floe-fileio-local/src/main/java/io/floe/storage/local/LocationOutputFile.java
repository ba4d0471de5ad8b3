package io.floe.storage.local;

import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/** Keeps the location exactly as the caller gave it, so metadata records the caller's form. */
final class LocationOutputFile implements OutputFile {
  private final OutputFile delegate;
  private final String location;

  LocationOutputFile(OutputFile delegate, String location) {
    this.delegate = delegate;
    this.location = location;
  }

  @Override
  public PositionOutputStream create() {
    return delegate.create();
  }

  @Override
  public PositionOutputStream createOrOverwrite() {
    return delegate.createOrOverwrite();
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public InputFile toInputFile() {
    return new LocationInputFile(delegate.toInputFile(), location);
  }
}
