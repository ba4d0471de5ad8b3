package io.floe.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.server.config.ConfigException;
import io.floe.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretKeysTest {
  @Test
  void badSecretKeysStopTheStartWithOneLine() {
    assertThatThrownBy(() -> TestServer.start(Map.of("FLOE_SECRET_KEYS", "1:c2hvcnQ=")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("FLOE_SECRET_KEYS: secret key version 1 must be 32 bytes, got 5");
  }
}
