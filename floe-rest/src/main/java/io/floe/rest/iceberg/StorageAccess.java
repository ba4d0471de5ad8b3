package io.floe.rest.iceberg;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.CatalogServices;
import io.floe.rest.http.Call;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.VendedCredentials;
import io.floe.spi.tenancy.Warehouse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.credentials.Credential;
import org.apache.iceberg.rest.credentials.CredentialParser;
import org.apache.iceberg.rest.credentials.ImmutableCredential;
import org.apache.iceberg.rest.responses.LoadTableResponse;
import org.apache.iceberg.util.JsonUtil;

/**
 * What a client gets, besides metadata, to reach a table's files: vended credentials or remote
 * signing settings, as the {@code X-Iceberg-Access-Delegation} header asks. Clients that ask for
 * neither get nothing and use their own storage settings.
 */
final class StorageAccess {
  static final String DELEGATION_HEADER = "X-Iceberg-Access-Delegation";

  /** The access delegation mechanisms of the Iceberg REST specification. */
  enum Delegation {
    VENDED_CREDENTIALS,
    REMOTE_SIGNING;

    static Set<Delegation> parse(String header) {
      Set<Delegation> modes = EnumSet.noneOf(Delegation.class);
      if (header == null) {
        return modes;
      }
      for (String value : header.split(",")) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
          case "vended-credentials" -> modes.add(VENDED_CREDENTIALS);
          case "remote-signing" -> modes.add(REMOTE_SIGNING);
          default -> {
            // unknown mechanisms are ignored, as the specification allows servers to
          }
        }
      }
      return modes;
    }
  }

  /** The config and storage credentials of one table response; both may be empty. */
  record Grant(Map<String, String> config, List<Credential> credentials) {
    static final Grant NONE = new Grant(Map.of(), List.of());

    boolean isEmpty() {
      return config.isEmpty() && credentials.isEmpty();
    }

    LoadTableResponse response(TableMetadata metadata) {
      return LoadTableResponse.builder()
          .withTableMetadata(metadata)
          .addAllConfig(config)
          .addAllCredentials(credentials)
          .build();
    }

    /**
     * Adds the grant to a cached load-table body, which has neither {@code config} nor
     * {@code storage-credentials}, without parsing or rebuilding the metadata.
     */
    byte[] spliceInto(byte[] body) {
      if (isEmpty()) {
        return body;
      }
      int end = body.length - 1;
      while (end > 0 && body[end] != '}') {
        end--;
      }
      String extra =
          JsonUtil.generate(
              generator -> {
                generator.writeStartObject();
                generator.writeObjectFieldStart("config");
                for (Map.Entry<String, String> entry : config.entrySet()) {
                  generator.writeStringField(entry.getKey(), entry.getValue());
                }
                generator.writeEndObject();
                if (!credentials.isEmpty()) {
                  generator.writeArrayFieldStart("storage-credentials");
                  for (Credential credential : credentials) {
                    CredentialParser.toJson(credential, generator);
                  }
                  generator.writeEndArray();
                }
                generator.writeEndObject();
              },
              false);
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + extra.length());
      out.write(body, 0, end);
      out.write(',');
      byte[] fields = extra.getBytes(StandardCharsets.UTF_8);
      // the generated object without its braces: its fields join the body's
      out.write(fields, 1, fields.length - 2);
      out.write('}');
      return out.toByteArray();
    }
  }

  private final CatalogServices catalog;

  StorageAccess(CatalogServices catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** What to hand out with a table, following the client's delegation header. */
  Grant grant(Call call, Warehouse warehouse, TableIdentifier identifier, TableMetadata metadata) {
    Set<Delegation> modes = Delegation.parse(call.header(DELEGATION_HEADER));
    if (modes.contains(Delegation.VENDED_CREDENTIALS)) {
      Optional<Grant> vended = vended(warehouse, identifier, metadata);
      if (vended.isPresent()) {
        return vended.get();
      }
    }
    if (modes.contains(Delegation.REMOTE_SIGNING) && catalog.signing().available(warehouse)) {
      return remoteSigning(catalog.signing().clientProperties(warehouse), warehouse, identifier);
    }
    return Grant.NONE;
  }

  /**
   * The settings with which Iceberg's Java S3FileIO and PyIceberg's fsspec FileIO send each
   * request to the table's sign endpoint; the signer's base URI is the catalog's own.
   */
  private static Grant remoteSigning(
      Map<String, String> clientProperties, Warehouse warehouse, TableIdentifier identifier) {
    Map<String, String> config = new LinkedHashMap<>(clientProperties);
    String endpoint = tablePath(warehouse, identifier) + "/sign";
    config.put("signer.endpoint", endpoint);
    config.put("s3.signer.endpoint", endpoint);
    return new Grant(Map.copyOf(config), List.of());
  }

  /** Credentials for the {@code credentials} endpoint, whatever the delegation header says. */
  List<Credential> credentials(Warehouse warehouse, TableIdentifier identifier, TableMetadata metadata) {
    return vended(warehouse, identifier, metadata).map(Grant::credentials).orElse(List.of());
  }

  private Optional<Grant> vended(Warehouse warehouse, TableIdentifier identifier, TableMetadata metadata) {
    AccessLevel access = catalog.access().accessFor(warehouse, identifier);
    Optional<VendedCredentials> vended = catalog.credentials().vend(warehouse, metadata, access);
    if (vended.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> config = new LinkedHashMap<>(vended.get().config());
    // a staged table does not exist until its create commits, so it has no credentials endpoint
    // yet: its client keeps the credentials it got, for their whole lifetime
    boolean staged = metadata.metadataFileLocation() == null;
    if (!staged) {
      config.put(vended.get().refreshEndpointProperty(), credentialsPath(warehouse, identifier));
    }
    Credential credential =
        ImmutableCredential.builder().prefix(vended.get().prefix()).config(config).build();
    List<Credential> credentials = new ArrayList<>(List.of(credential));
    return Optional.of(new Grant(Map.copyOf(config), List.copyOf(credentials)));
  }

  /** The table's credentials endpoint, relative to the catalog's URI as clients resolve it. */
  static String credentialsPath(Warehouse warehouse, TableIdentifier identifier) {
    return tablePath(warehouse, identifier) + "/credentials";
  }

  static String tablePath(Warehouse warehouse, TableIdentifier identifier) {
    return "v1/" + warehouse.id() + "/namespaces/" + RESTUtil.encodeNamespace(identifier.namespace())
        + "/tables/" + RESTUtil.encodeString(identifier.name());
  }
}
