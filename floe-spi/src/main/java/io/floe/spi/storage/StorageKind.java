package io.floe.spi.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import io.floe.spi.tenancy.ProfileJson;
import io.floe.spi.tenancy.StorageProfile;
import java.io.IOException;
import java.util.Optional;

/**
 * One kind of storage as a plugin (S3, ADLS, GCS, local files...): its profile's JSON form and
 * what the server needs to use it. A module adds a kind by providing an implementation through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.floe.spi.storage.StorageKind});
 * no other module knows its profile's fields or its clients' property names.
 *
 * <p>Implementations have a public no-argument constructor, are thread-safe, and may hold
 * clients that the server closes at shutdown.
 */
public interface StorageKind extends AutoCloseable {
  /** The kind's name: the {@code type} field of its profiles' JSON form, e.g. {@code s3}. */
  String type();

  /**
   * Reads a profile of this kind; unknown fields are refused, so that a misspelt setting is not
   * silently ignored.
   *
   * @throws io.floe.spi.error.BadRequestException saying what is wrong
   */
  StorageProfile parse(ProfileJson json);

  /** Writes the profile's fields, all but {@code type}, which the caller writes. */
  void write(StorageProfile profile, JsonGenerator generator) throws IOException;

  /** Opens this kind's storage for the server's own reads and writes. */
  FileIOFactory fileIOFactory();

  /** Mints short-lived credentials for clients, if this kind can. */
  default Optional<CredentialVendor> credentialVendor() {
    return Optional.empty();
  }

  /** Signs clients' storage requests, if this kind can. */
  default Optional<RequestSigner> requestSigner() {
    return Optional.empty();
  }

  @Override
  default void close() {}
}
