package io.floe.authz.openfga;

import io.floe.spi.authz.Authorizer;
import io.floe.spi.authz.AuthorizerBackend;
import java.util.Map;

/** OpenFGA as the authorizer: {@code FLOE_AUTHZ_BACKEND=openfga} and {@code FLOE_OPENFGA_*}. */
public final class OpenFgaBackend implements AuthorizerBackend {
  @Override
  public String name() {
    return "openfga";
  }

  @Override
  public Authorizer start(Map<String, String> settings) {
    return OpenFgaAuthorizer.start(OpenFgaConfig.from(settings));
  }

  @Override
  public String migrate(Map<String, String> settings) throws Exception {
    AuthorizationModels.Migrated migrated = OpenFgaAuthorizer.migrate(OpenFgaConfig.from(settings));
    return migrated.written()
        ? "authorization model version " + migrated.version() + " written (" + migrated.modelId() + ")"
            + (migrated.previousVersion() == null ? "" : ", upgraded from version " + migrated.previousVersion())
        : "authorization model version " + migrated.version() + " is current (" + migrated.modelId() + ")";
  }
}
