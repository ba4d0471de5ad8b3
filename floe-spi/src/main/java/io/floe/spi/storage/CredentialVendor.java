package io.floe.spi.storage;

import io.floe.spi.secrets.Secret;
import io.floe.spi.tenancy.StorageProfile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Mints short-lived credentials that reach only some locations of a warehouse's storage, so that
 * clients never hold the warehouse's long-lived keys. One vendor per kind of storage; the server
 * picks it by {@link StorageProfile#type()}. Implementations are thread-safe; callers cache what
 * they return.
 */
public interface CredentialVendor {
  /** The storage kind this vendor serves, e.g. {@code s3}. */
  String type();

  /**
   * Whether this profile allows vending at all; when it does not, clients get no credentials and
   * must bring their own.
   */
  boolean enabled(StorageProfile profile);

  /**
   * Mints credentials for the files under {@code locations}: the first is the table's location
   * and the prefix of the result, the others are further data or metadata paths of the table.
   *
   * @param credential the warehouse's long-lived credential, if it has one
   * @param lifetime how long the credentials should last; the provider may grant less
   * @throws io.floe.spi.error.BadRequestException if a location is not in this storage
   * @throws io.floe.spi.error.UnavailableException if the provider cannot be reached or refuses
   */
  VendedCredentials vend(
      StorageProfile profile,
      Optional<Secret> credential,
      List<String> locations,
      AccessLevel access,
      Duration lifetime);
}
