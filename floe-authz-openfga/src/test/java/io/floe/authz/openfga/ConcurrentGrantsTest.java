package io.floe.authz.openfga;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.spi.auth.Principal;
import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.authz.Relation;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Against a real OpenFGA: a caller's grants of several types read at once, as listings do. */
class ConcurrentGrantsTest {
  @Test
  void grantsOfSeveralTypesAreReadAtOnce() throws Exception {
    String endpoint = System.getenv("FLOE_TEST_OPENFGA_URL");
    if (endpoint == null) {
      throw new IllegalStateException("FLOE_TEST_OPENFGA_URL names no OpenFGA server (the test command starts one)");
    }
    try (OpenFgaAuthorizer authorizer =
        OpenFgaAuthorizer.start(OpenFgaConfig.of(URI.create(endpoint), "grants-" + UUID.randomUUID()))) {
      Principal ann = new Principal("oidc~ann", Principal.Kind.USER, null, null, Set.of());
      String table = UUID.randomUUID().toString();
      String namespace = UUID.randomUUID().toString();
      authorizer.update(new ObjectRef(ObjectType.TABLE, table), List.of(new Assignment(ann.id(), Relation.SELECT)), List.of());
      authorizer.update(new ObjectRef(ObjectType.NAMESPACE, namespace), List.of(new Assignment(ann.id(), Relation.DESCRIBE)), List.of());
      for (int round = 0; round < 3; round++) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
          Future<Set<String>> tables = threads.submit(() -> authorizer.granted(ann, ObjectType.TABLE));
          Future<Set<String>> views = threads.submit(() -> authorizer.granted(ann, ObjectType.VIEW));
          Set<String> namespaces = authorizer.granted(ann, ObjectType.NAMESPACE);
          assertThat(tables.get()).containsExactly(table);
          assertThat(views.get()).isEmpty();
          assertThat(namespaces).containsExactly(namespace);
        }
        // a write clears the caches: the next round reads again
        authorizer.update(new ObjectRef(ObjectType.VIEW, "none"), List.of(), List.of(new Assignment(ann.id(), Relation.SELECT)));
      }
    }
  }
}
