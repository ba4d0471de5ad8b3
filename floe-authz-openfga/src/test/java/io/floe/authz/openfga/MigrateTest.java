package io.floe.authz.openfga;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Against a real OpenFGA: the store and model are made once, then found. */
class MigrateTest {
  @Test
  void migrateCreatesTheStoreAndModelOnceThenFindsThem() throws Exception {
    String endpoint = System.getenv("FLOE_TEST_OPENFGA_URL");
    if (endpoint == null) {
      throw new IllegalStateException("FLOE_TEST_OPENFGA_URL names no OpenFGA server (the test command starts one)");
    }
    OpenFgaConfig config = OpenFgaConfig.of(URI.create(endpoint), "migrate-" + UUID.randomUUID());
    AuthorizationModels.Migrated first = OpenFgaAuthorizer.migrate(config);
    assertThat(first.written()).isTrue();
    assertThat(first.version()).isEqualTo(AuthorizationModels.newest());
    AuthorizationModels.Migrated second = OpenFgaAuthorizer.migrate(config);
    assertThat(second.written()).isFalse();
    assertThat(second.modelId()).isEqualTo(first.modelId());
    // a server starting on the same store uses that model
    try (OpenFgaAuthorizer authorizer = OpenFgaAuthorizer.start(config)) {
      assertThat(authorizer.describe()).contains(first.modelId()).contains("model version " + first.version());
    }
  }
}
