package io.floe.catalog.credentials;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.floe.catalog.tenancy.Storage;
import io.floe.spi.concurrent.AttemptStats;
import io.floe.spi.concurrent.NonBlocking;
import io.floe.spi.secrets.SecretId;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.CredentialVendor;
import io.floe.spi.storage.VendedCredentials;
import io.floe.spi.tenancy.StorageProfile;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.TableMetadata;

/**
 * Short-lived, table-scoped storage credentials for clients, through the vendor of the
 * warehouse's storage kind and a cache. A cached credential is handed out only during the first
 * part of its life ({@code cacheFraction}), so every client gets one with most of its lifetime
 * left, and refreshes it long before it expires. Each call to a vendor is timed in
 * {@code floe.credentials.vend} by storage kind and outcome.
 */
public final class TableCredentials {
  /** What one cache entry stands for: a warehouse's profile and credential, locations and access. */
  record Key(
      WarehouseId warehouse,
      StorageProfile profile,
      Optional<SecretId> credential,
      List<String> locations,
      AccessLevel access) {}

  private final Map<String, CredentialVendor> vendors;
  private final Storage storage;
  private final Duration lifetime;
  private final Cache<Key, VendedCredentials> cache;
  private final MeterRegistry metrics;

  /**
   * @param lifetime how long vended credentials last
   * @param capacity how many credentials the cache keeps
   * @param cacheFraction the part of a credential's life during which it is handed out again
   *     (between 0 and 1; 0 turns the cache off)
   */
  public TableCredentials(
      List<CredentialVendor> vendors,
      Storage storage,
      Duration lifetime,
      long capacity,
      double cacheFraction,
      Clock clock,
      MeterRegistry metrics) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.vendors =
        requireNonNull(vendors, "vendors is null").stream()
            .collect(Collectors.toUnmodifiableMap(CredentialVendor::type, Function.identity()));
    this.storage = requireNonNull(storage, "storage is null");
    this.lifetime = requireNonNull(lifetime, "lifetime is null");
    if (cacheFraction < 0 || cacheFraction > 1) {
      throw new IllegalArgumentException("cacheFraction must be between 0 and 1");
    }
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(capacity)
            .expireAfter(new ExpireEarly(cacheFraction, clock))
            .recordStats(AttemptStats::new)
            .build();
  }

  public Cache<?, ?> cache() {
    return cache;
  }

  /** Whether clients of this warehouse can get vended credentials. */
  public boolean available(Warehouse warehouse) {
    CredentialVendor vendor = vendors.get(warehouse.storage().type());
    return vendor != null && vendor.enabled(warehouse.storage());
  }

  /**
   * Credentials for a table's files, those under its location.
   *
   * @return empty when the warehouse's storage vends none (local files, or vending turned off)
   */
  public Optional<VendedCredentials> vend(Warehouse warehouse, TableMetadata table, AccessLevel access) {
    if (!available(warehouse)) {
      return Optional.empty();
    }
    Key key =
        new Key(warehouse.id(), warehouse.storage(), warehouse.credential(), locations(table), access);
    return Optional.of(NonBlocking.cached(cache, key, k -> timed(k, warehouse)));
  }

  private VendedCredentials timed(Key key, Warehouse warehouse) {
    NonBlocking.checkCanBlock(); // the vendor calls the cloud
    String type = key.profile().type();
    long start = System.nanoTime();
    String outcome = "failed";
    try {
      VendedCredentials vended =
          vendors
              .get(type)
              .vend(
                  key.profile(),
                  storage.credential(warehouse),
                  key.locations(),
                  key.access(),
                  key.profile().credentialLifetime().orElse(lifetime));
      outcome = "vended";
      return vended;
    } finally {
      Timer.builder("floe.credentials.vend")
          .description("calls to a storage kind's credential service (STS, Entra ID, Google IAM), cache misses only")
          .tag("storage", type)
          .tag("outcome", outcome)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(10))
          .register(metrics)
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The locations a table's credentials cover: its own location only. Data or metadata paths
   * set elsewhere by properties are not covered, since they may lie in another table's location.
   */
  static List<String> locations(TableMetadata table) {
    return List.of(strip(table.location()));
  }

  private static String strip(String location) {
    String result = location;
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  /** Entries leave the cache after a fraction of the credential's remaining life. */
  private record ExpireEarly(double fraction, Clock clock) implements Expiry<Key, VendedCredentials> {
    @Override
    public long expireAfterCreate(Key key, VendedCredentials value, long currentTime) {
      Duration remaining = Duration.between(Instant.now(clock), value.expiresAt());
      if (remaining.isNegative()) {
        return 0;
      }
      return (long) (remaining.toNanos() * fraction);
    }

    @Override
    public long expireAfterUpdate(Key key, VendedCredentials value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(Key key, VendedCredentials value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
