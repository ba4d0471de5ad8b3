package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.error.CommitConflictException;
import io.floe.spi.idempotency.Claim;
import io.floe.spi.idempotency.IdempotencyFence;
import io.floe.spi.store.NamespaceEntry;
import io.floe.spi.store.ReadMode;
import io.floe.spi.testing.TestStorageKind;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.ProjectId;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import io.floe.store.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change made for a request with an Idempotency-Key marks the key in its own transaction, and
 * cannot commit once a retry has taken the key over: a key's change is applied at most once.
 */
class IdempotencyFenceTest {
  private static final Duration LIFETIME = Duration.ofMinutes(30);
  private static Database database;
  private static PostgresCatalogStore store;
  private static PostgresIdempotencyStore keys;
  private static WarehouseId warehouse = WarehouseId.random();

  @BeforeAll
  static void open() {
    database = TestDatabase.migrated();
    store = new PostgresCatalogStore(database);
    keys = new PostgresIdempotencyStore(database);
    Project project = new Project(ProjectId.random(), "p");
    store.createProject(project);
    store.createWarehouse(new Warehouse(warehouse, project.id(), "w", new TestStorageKind.Profile("/tmp/floe-fence"), List.of()));
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @Test
  void theChangeMarksItsClaimAppliedInItsOwnTransaction() {
    UUID key = UUID.randomUUID();
    Claim.Acquired claim = (Claim.Acquired) keys.claim(key, "POST /x", LIFETIME, Duration.ofSeconds(10));
    new IdempotencyFence(key, claim.token()).run(() -> {
      store.createNamespace(warehouse, new NamespaceEntry(UUID.randomUUID(), Namespace.of("marked"), Map.of()));
      return null;
    });
    // as if the server died before recording the response: a retry learns the change is applied
    assertThat(keys.claim(key, "POST /x", LIFETIME, Duration.ZERO)).isInstanceOf(Claim.Applied.class);
    // and the claim is not forgotten when its request is released
    keys.release(key, claim.token());
    assertThat(keys.claim(key, "POST /x", LIFETIME, Duration.ZERO)).isInstanceOf(Claim.Applied.class);
  }

  @Test
  void aChangeWhoseClaimWasTakenOverDoesNotCommit() {
    UUID key = UUID.randomUUID();
    Claim.Acquired first = (Claim.Acquired) keys.claim(key, "POST /y", LIFETIME, Duration.ofSeconds(10));
    // a retry finds the claim stale and takes it over
    Claim retry = keys.claim(key, "POST /y", LIFETIME, Duration.ZERO);
    assertThat(retry).isInstanceOf(Claim.Acquired.class);
    assertThat(((Claim.Acquired) retry).token()).isNotEqualTo(first.token());
    assertThatThrownBy(
            () -> new IdempotencyFence(key, first.token()).run(() -> {
              store.createNamespace(warehouse, new NamespaceEntry(UUID.randomUUID(), Namespace.of("late"), Map.of()));
              return null;
            }))
        .isInstanceOf(CommitConflictException.class);
    assertThat(store.namespace(warehouse, Namespace.of("late"), ReadMode.PRIMARY)).isEmpty();
    // a key sent with another request is refused, never run
    assertThat(keys.claim(key, "POST /other", LIFETIME, Duration.ZERO)).isInstanceOf(Claim.Mismatch.class);
  }
}
