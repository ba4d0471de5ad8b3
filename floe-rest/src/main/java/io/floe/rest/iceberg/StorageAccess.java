package io.floe.rest.iceberg;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.CatalogServices;
import io.floe.rest.http.Call;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.VendedCredentials;
import io.floe.spi.tenancy.Warehouse;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
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

  /**
   * The config and storage credentials of one table response; both may be empty. A grant is
   * immutable, so its JSON form is rendered once and reused for as long as its credentials are.
   */
  static final class Grant {
    static final Grant NONE = new Grant(Map.of(), List.of());

    private final Map<String, String> config;
    private final List<Credential> credentials;
    private volatile byte[] fields;

    Grant(Map<String, String> config, List<Credential> credentials) {
      this.config = Map.copyOf(config);
      this.credentials = List.copyOf(credentials);
    }

    Map<String, String> config() {
      return config;
    }

    List<Credential> credentials() {
      return credentials;
    }

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
      byte[] extra = fields();
      byte[] out = new byte[end + 1 + extra.length + 1];
      System.arraycopy(body, 0, out, 0, end);
      out[end] = ',';
      System.arraycopy(extra, 0, out, end + 1, extra.length);
      out[out.length - 1] = '}';
      return out;
    }

    /** {@code "config":{...},"storage-credentials":[...]}: the fields, without braces. */
    private byte[] fields() {
      byte[] rendered = fields;
      if (rendered == null) {
        String json =
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
        byte[] object = json.getBytes(StandardCharsets.UTF_8);
        rendered = java.util.Arrays.copyOfRange(object, 1, object.length - 1);
        fields = rendered;
      }
      return rendered;
    }
  }

  /** A grant built for one credential and one table's refresh path. */
  private record Granted(String refreshPath, Grant grant) {}

  private final CatalogServices catalog;
  // keyed by the cached credential object itself (weak keys compare by identity): a grant lives
  // exactly as long as the credential the credential cache hands out
  private final Cache<VendedCredentials, Granted> grants =
      Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  StorageAccess(CatalogServices catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** Whether the client asks for storage access that this warehouse gives. */
  boolean delegates(Call call, Warehouse warehouse) {
    Set<Delegation> modes = Delegation.parse(call.header(DELEGATION_HEADER));
    return (modes.contains(Delegation.VENDED_CREDENTIALS) && catalog.credentials().available(warehouse))
        || (modes.contains(Delegation.REMOTE_SIGNING) && catalog.signing().available(warehouse));
  }

  /**
   * What to hand out with a table, following the client's delegation header, for a caller who may
   * access its files at {@code level} (nothing when null).
   */
  Grant grant(Call call, Warehouse warehouse, TableIdentifier identifier, TableMetadata metadata, AccessLevel level) {
    if (level == null) {
      return Grant.NONE;
    }
    Set<Delegation> modes = Delegation.parse(call.header(DELEGATION_HEADER));
    if (modes.contains(Delegation.VENDED_CREDENTIALS)) {
      Optional<Grant> vended = vended(warehouse, identifier, metadata, level);
      if (vended.isPresent()) {
        return vended.get();
      }
    }
    if (modes.contains(Delegation.REMOTE_SIGNING) && catalog.signing().available(warehouse)) {
      String endpoint = tablePath(warehouse, identifier) + "/sign";
      return new Grant(Map.copyOf(catalog.signing().clientProperties(warehouse, endpoint)), List.of());
    }
    return Grant.NONE;
  }

  /** Credentials for the {@code credentials} endpoint, whatever the delegation header says. */
  List<Credential> credentials(Warehouse warehouse, TableIdentifier identifier, TableMetadata metadata, AccessLevel level) {
    return vended(warehouse, identifier, metadata, level).map(Grant::credentials).orElse(List.of());
  }

  private Optional<Grant> vended(Warehouse warehouse, TableIdentifier identifier, TableMetadata metadata, AccessLevel access) {
    Optional<VendedCredentials> vended = catalog.credentials().vend(warehouse, metadata, access);
    if (vended.isEmpty()) {
      return Optional.empty();
    }
    // a staged table does not exist until its create commits, so it has no credentials endpoint
    // yet: its client keeps the credentials it got, for their whole lifetime
    boolean staged = metadata.metadataFileLocation() == null;
    String refreshPath = staged ? "" : credentialsPath(warehouse, identifier);
    Granted granted = grants.getIfPresent(vended.get());
    if (granted == null || !granted.refreshPath().equals(refreshPath)) {
      granted = new Granted(refreshPath, grant(vended.get(), refreshPath));
      grants.put(vended.get(), granted);
    }
    return Optional.of(granted.grant());
  }

  private static Grant grant(VendedCredentials vended, String refreshPath) {
    Map<String, String> config = new LinkedHashMap<>(vended.config());
    if (!refreshPath.isEmpty()) {
      config.put(vended.refreshEndpointProperty(), refreshPath);
    }
    Credential credential = ImmutableCredential.builder().prefix(vended.prefix()).config(config).build();
    return new Grant(config, List.of(credential));
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
