package io.floe.catalog.credentials;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.tenancy.Storage;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.RequestSigner;
import io.floe.spi.storage.SignRequest;
import io.floe.spi.storage.SignedRequest;
import io.floe.spi.tenancy.Warehouse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.TableMetadata;

/**
 * Remote signing: a client sends each storage request to the catalog, which signs it with the
 * warehouse's credential if it stays inside the table's locations and the caller's access level.
 */
public final class TableSigning {
  private final Map<String, RequestSigner> signers;
  private final Storage storage;

  public TableSigning(List<RequestSigner> signers, Storage storage) {
    this.signers =
        requireNonNull(signers, "signers is null").stream()
            .collect(Collectors.toUnmodifiableMap(RequestSigner::type, Function.identity()));
    this.storage = requireNonNull(storage, "storage is null");
  }

  /** Whether requests to this warehouse's storage can be signed remotely. */
  public boolean available(Warehouse warehouse) {
    return signers.containsKey(warehouse.storage().type());
  }

  /**
   * The client properties that turn remote signing on for this warehouse's storage, with the
   * table's sign endpoint.
   */
  public Map<String, String> clientProperties(Warehouse warehouse, String signEndpoint) {
    return signers.get(warehouse.storage().type()).clientProperties(warehouse.storage(), signEndpoint);
  }

  /**
   * Signs one request for a table's files.
   *
   * @throws BadRequestException if the warehouse's storage has no remote signing
   * @throws io.floe.spi.error.ForbiddenException if the request leaves the table or its access
   */
  public SignedRequest sign(Warehouse warehouse, TableMetadata table, AccessLevel access, SignRequest request) {
    RequestSigner signer = signers.get(warehouse.storage().type());
    if (signer == null) {
      throw new BadRequestException(
          "Cannot sign requests for warehouse %s: %s storage has no remote signing",
          warehouse.name(), warehouse.storage().type());
    }
    return signer.sign(
        warehouse.storage(), storage.credential(warehouse), TableCredentials.locations(table), access, request);
  }
}
