package io.floe.authz.openfga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfga.sdk.api.client.OpenFgaClient;
import dev.openfga.sdk.api.configuration.ClientReadAuthorizationModelsOptions;
import dev.openfga.sdk.api.model.AuthorizationModel;
import dev.openfga.sdk.api.model.ReadAuthorizationModelsResponse;
import dev.openfga.sdk.api.model.WriteAuthorizationModelRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Floe's authorization models, one per version ({@code model-vN.fga} in this package, with its
 * JSON form {@code model-vN.json}), and the way a store is brought to the newest.
 *
 * <p>A store's models are recognised by content: a model in the store whose type definitions equal
 * version N's is version N. Migrating writes the newest model when the store lacks it, then runs
 * the steps that rewrite grants for each version between the one found and the newest. Version 1
 * has no step; a later version that renames a relation adds one here.
 */
public final class AuthorizationModels {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationModels.class);
  private static final ObjectMapper MAPPER = new dev.openfga.sdk.api.client.ApiClient().getObjectMapper();

  /** The model versions, oldest first. */
  static final List<Integer> VERSIONS = List.of(1);

  /** The outcome of a migration: the model in force and whether it was written now. */
  public record Migrated(int version, String modelId, boolean written, Integer previousVersion) {}

  private AuthorizationModels() {}

  static int newest() {
    return VERSIONS.get(VERSIONS.size() - 1);
  }

  /** A version's model, as OpenFGA takes it. */
  static WriteAuthorizationModelRequest request(int version) {
    try (InputStream in = AuthorizationModels.class.getResourceAsStream("model-v" + version + ".json")) {
      if (in == null) {
        throw new IllegalStateException("No authorization model version " + version);
      }
      return MAPPER.readValue(in, WriteAuthorizationModelRequest.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Brings the store to the newest version; finds it when the store has it already. */
  static Migrated migrate(OpenFgaClient client) throws Exception {
    int newest = newest();
    JsonNode wanted = canonical(request(newest).getTypeDefinitions());
    List<AuthorizationModel> models = models(client);
    Integer previous = null;
    if (!models.isEmpty()) {
      // the newest model of the store first: it is the one in force
      for (AuthorizationModel model : models) {
        if (canonical(model.getTypeDefinitions()).equals(wanted)) {
          return new Migrated(newest, model.getId(), false, null);
        }
      }
      previous = version(models.get(0)).orElse(null);
    }
    String id = client.writeAuthorizationModel(request(newest)).get().getAuthorizationModelId();
    // the steps that rewrite grants from `previous` up to `newest` run here; version 1, the
    // first, has none
    LOG.info("authorization model version {} written to the store as {}{}", newest, id,
        previous == null ? "" : " (was version " + previous + ")");
    return new Migrated(newest, id, true, previous);
  }

  /** The version of a model written by Floe, recognised by content. */
  static Optional<Integer> version(AuthorizationModel model) {
    JsonNode found = canonical(model.getTypeDefinitions());
    for (int version : VERSIONS) {
      if (canonical(request(version).getTypeDefinitions()).equals(found)) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  /** The store's models, newest first. */
  private static List<AuthorizationModel> models(OpenFgaClient client) throws Exception {
    List<AuthorizationModel> models = new ArrayList<>();
    String token = null;
    do {
      ClientReadAuthorizationModelsOptions options = new ClientReadAuthorizationModelsOptions().pageSize(50);
      if (token != null) {
        options.continuationToken(token);
      }
      ReadAuthorizationModelsResponse page = client.readAuthorizationModels(options).get();
      models.addAll(page.getAuthorizationModels());
      token = page.getContinuationToken();
    } while (token != null && !token.isEmpty() && models.size() < 1000);
    return models;
  }

  /**
   * Type definitions without what a round trip through OpenFGA adds or drops: nulls, empty
   * strings, empty objects and lists (but a direct grant's {@code "this": {}}), and source positions.
   */
  static JsonNode canonical(Object typeDefinitions) {
    return strip(MAPPER.valueToTree(typeDefinitions));
  }

  private static JsonNode strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode out = MAPPER.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("source_info") || field.getKey().equals("sourceInfo")
            || field.getKey().equals("module")) {
          continue;
        }
        JsonNode value = strip(field.getValue());
        // "this": {} is a direct grant, not an empty field
        if (field.getKey().equals("this") || !empty(value)) {
          out.set(field.getKey(), value);
        }
      }
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = MAPPER.createArrayNode();
      array.forEach(item -> {
        JsonNode value = strip(item);
        if (!empty(value)) {
          out.add(value);
        }
      });
      return out;
    }
    return node;
  }

  private static boolean empty(JsonNode node) {
    return node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())
        || (node.isContainerNode() && node.isEmpty());
  }
}
