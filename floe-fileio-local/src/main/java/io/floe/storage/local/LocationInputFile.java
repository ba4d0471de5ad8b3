package io.floe.storage.local;

import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;

/** Keeps the location exactly as the caller gave it, so metadata records the caller's form. */
final class LocationInputFile implements InputFile {
  private final InputFile delegate;
  private final String location;

  LocationInputFile(InputFile delegate, String location) {
    this.delegate = delegate;
    this.location = location;
  }

  @Override
  public long getLength() {
    return delegate.getLength();
  }

  @Override
  public SeekableInputStream newStream() {
    return delegate.newStream();
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public boolean exists() {
    return delegate.exists();
  }
}
