package io.floe.catalog.tenancy;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.catalog.naming.Names;
import io.floe.spi.concurrent.AttemptStats;
import io.floe.spi.concurrent.NonBlocking;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.time.Duration;
import java.util.Optional;

/**
 * Resolves warehouses by REST prefix or by name, through a small cache: a warehouse is read on
 * every request, and changes rarely. A change made through this server invalidates its entry at
 * once; other servers see it when their entry expires.
 */
public final class Warehouses {
  public static final String DEFAULT_PROJECT = "default";

  private final CatalogStore store;
  private final Cache<WarehouseId, Optional<Warehouse>> cache;

  public Warehouses(CatalogStore store, Duration lifetime, long capacity) {
    this.store = requireNonNull(store, "store is null");
    this.cache =
        Caffeine.newBuilder().expireAfterWrite(lifetime).maximumSize(capacity).recordStats(AttemptStats::new).build();
  }

  public Cache<WarehouseId, Optional<Warehouse>> cache() {
    return cache;
  }

  /**
   * Returns the warehouse a REST prefix names.
   *
   * @throws NotFoundException if there is none
   */
  public Warehouse byPrefix(String prefix) {
    WarehouseId id;
    try {
      id = WarehouseId.parse(prefix);
    } catch (RuntimeException e) {
      throw new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", prefix);
    }
    return NonBlocking.cached(cache, id, store::warehouse)
        .orElseThrow(
            () ->
                new NotFoundException(
                    NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", prefix));
  }

  /**
   * Resolves the {@code warehouse} parameter of {@code /v1/config}: {@code NAME} in the default
   * project, or {@code PROJECT/NAME}.
   */
  public Warehouse byQualifiedName(String qualifiedName) {
    int slash = qualifiedName.indexOf('/');
    String projectName = slash >= 0 ? qualifiedName.substring(0, slash) : DEFAULT_PROJECT;
    String name = slash >= 0 ? qualifiedName.substring(slash + 1) : qualifiedName;
    Names.check("warehouse", name);
    Project project =
        store
            .projectByName(projectName)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        NotFoundException.Kind.WAREHOUSE,
                        "Warehouse does not exist: %s (no project %s)",
                        qualifiedName,
                        projectName));
    return store
        .warehouseByName(project.id(), name)
        .orElseThrow(
            () ->
                new NotFoundException(
                    NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", qualifiedName));
  }

  public void invalidate(WarehouseId id) {
    cache.invalidate(id);
  }
}
