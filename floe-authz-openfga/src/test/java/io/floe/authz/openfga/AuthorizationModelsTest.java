package io.floe.authz.openfga;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openfga.language.DslToJsonTransformer;
import dev.openfga.sdk.api.model.WriteAuthorizationModelRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each model version's JSON, which Floe writes, is its DSL, which people read, transformed. */
class AuthorizationModelsTest {
  @Test
  void everyVersionsJsonIsItsDsl() throws Exception {
    for (int version : AuthorizationModels.VERSIONS) {
      String dsl;
      try (InputStream in = AuthorizationModels.class.getResourceAsStream("model-v" + version + ".fga")) {
        dsl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      ObjectMapper mapper = new dev.openfga.sdk.api.client.ApiClient().getObjectMapper();
      WriteAuthorizationModelRequest fromDsl =
          mapper.readValue(new DslToJsonTransformer().transform(dsl), WriteAuthorizationModelRequest.class);
      assertThat(AuthorizationModels.canonical(AuthorizationModels.request(version).getTypeDefinitions()))
          .as("model-v%d.json is model-v%d.fga", version, version)
          .isEqualTo(AuthorizationModels.canonical(fromDsl.getTypeDefinitions()));
    }
  }

  @Test
  void aRelationMoreOrLessIsAnotherModel() throws Exception {
    WriteAuthorizationModelRequest model = AuthorizationModels.request(AuthorizationModels.newest());
    String dsl;
    try (InputStream in = AuthorizationModels.class.getResourceAsStream("model-v1.fga")) {
      dsl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // without modify implying select, the model is not version 1
    String weaker = dsl.replace("or modify or select from parent", "or select from parent");
    assertThat(weaker).isNotEqualTo(dsl);
    ObjectMapper mapper = new dev.openfga.sdk.api.client.ApiClient().getObjectMapper();
    WriteAuthorizationModelRequest changed =
        mapper.readValue(new DslToJsonTransformer().transform(weaker), WriteAuthorizationModelRequest.class);
    assertThat(AuthorizationModels.canonical(changed.getTypeDefinitions()))
        .isNotEqualTo(AuthorizationModels.canonical(model.getTypeDefinitions()));
  }
}
