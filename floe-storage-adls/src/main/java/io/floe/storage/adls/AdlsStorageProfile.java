package io.floe.storage.adls;

import io.floe.spi.tenancy.Prefixes;
import io.floe.spi.tenancy.StorageProfile;
import static java.util.Objects.requireNonNull;

import io.floe.spi.error.BadRequestException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Azure Data Lake Storage Gen2 filesystem (a blob container). Floe reaches it with the
 * warehouse's stored account key; clients get SAS tokens for one table's directory.
 *
 * @param accountName the storage account
 * @param filesystem the filesystem (container) the warehouse lives in
 * @param keyPrefix the directory under which the warehouse lives, without leading or trailing
 *     slashes; empty for the whole filesystem
 * @param host the DFS host suffix, {@code dfs.core.windows.net} unless in a sovereign cloud
 * @param endpoint the account's endpoint URL for emulators such as Azurite
 *     ({@code http://127.0.0.1:10000/account}), or null for Azure
 * @param hierarchicalNamespace whether the account has a hierarchical namespace; only then can a
 *     SAS be limited to one table's directory. Without it, a vended SAS covers the filesystem,
 *     so such warehouses should have a filesystem each
 * @param sasEnabled whether Floe vends SAS tokens for this warehouse at all
 * @param sasLifetime how long vended SAS tokens last, or null for the server's default
 */
public record AdlsStorageProfile(
    String accountName,
    String filesystem,
    String keyPrefix,
    String host,
    String endpoint,
    boolean hierarchicalNamespace,
    boolean sasEnabled,
    Duration sasLifetime)
    implements StorageProfile {
  public static final String TYPE = "adls";
  public static final String DEFAULT_HOST = "dfs.core.windows.net";
  /** User-delegation SAS tokens last at most seven days; so do Floe's. */
  public static final Duration MAX_SAS_LIFETIME = Duration.ofDays(7);

  private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern FILESYSTEM = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
  private static final Pattern HOST = Pattern.compile("[a-z0-9.-]+");

  public AdlsStorageProfile {
    requireNonNull(accountName, "accountName is null");
    requireNonNull(filesystem, "filesystem is null");
    if (!ACCOUNT.matcher(accountName).matches()) {
      throw new BadRequestException("Invalid ADLS storage profile: bad account-name %s", accountName);
    }
    if (!FILESYSTEM.matcher(filesystem).matches()) {
      throw new BadRequestException("Invalid ADLS storage profile: bad filesystem name %s", filesystem);
    }
    keyPrefix = Prefixes.normalize("ADLS", keyPrefix);
    host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim().toLowerCase(java.util.Locale.ROOT);
    if (!HOST.matcher(host).matches()) {
      throw new BadRequestException("Invalid ADLS storage profile: bad host %s", host);
    }
    endpoint = Prefixes.checkEndpoint("ADLS", "endpoint", endpoint);
    if (sasLifetime != null
        && (sasLifetime.compareTo(Duration.ofSeconds(1)) < 0 || sasLifetime.compareTo(MAX_SAS_LIFETIME) > 0)) {
      throw new BadRequestException(
          "Invalid ADLS storage profile: sas-lifetime-seconds must be between 1 and %d", MAX_SAS_LIFETIME.toSeconds());
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The account's DFS host, e.g. {@code account.dfs.core.windows.net}. */
  public String accountHost() {
    return accountName + "." + host;
  }

  @Override
  public String root() {
    String base = "abfss://" + filesystem + "@" + accountHost();
    return keyPrefix.isEmpty() ? base : base + "/" + keyPrefix;
  }

  @Override
  public Optional<Duration> credentialLifetime() {
    return Optional.ofNullable(sasLifetime);
  }

  /** The endpoint clients and Floe use: the emulator's, or Azure's for the account. */
  public URI serviceEndpoint() {
    return URI.create(endpoint != null ? endpoint : "https://" + accountHost());
  }
}
