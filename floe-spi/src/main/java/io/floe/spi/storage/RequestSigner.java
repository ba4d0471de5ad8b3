package io.floe.spi.storage;

import io.floe.spi.secrets.Secret;
import io.floe.spi.tenancy.StorageProfile;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs clients' storage requests with the warehouse's own credential, one request at a time, so
 * that clients never hold a key. A request is signed only when it stays inside the table's
 * locations and is an operation the caller's access level allows. One signer per kind of
 * storage; implementations are thread-safe.
 */
public interface RequestSigner {
  /** The storage kind this signer serves, e.g. {@code s3}. */
  String type();

  /**
   * The client properties that turn remote signing on and reach the storage (endpoint, region,
   * addressing style), with the table's sign endpoint under the names this kind's clients read.
   *
   * @param signEndpoint the table's sign endpoint, relative to the catalog's URI
   */
  Map<String, String> clientProperties(StorageProfile profile, String signEndpoint);

  /**
   * Signs a request, or refuses it.
   *
   * @param locations the table's locations: the request must stay inside them
   * @param access what the caller may do with the table's files
   * @throws io.floe.spi.error.ForbiddenException saying why a request is refused: another
   *     location, an operation the access level does not allow, or one the signer does not know
   * @throws io.floe.spi.error.BadRequestException if the request is malformed
   */
  SignedRequest sign(
      StorageProfile profile,
      Optional<Secret> credential,
      List<String> locations,
      AccessLevel access,
      SignRequest request);
}
