package io.floe.spi.tenancy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.plugin.Plugins;
import io.floe.spi.storage.StorageKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.util.JsonUtil;

/**
 * The JSON form of a {@link StorageProfile}: an object whose {@code type} names the kind, and the
 * kind's own fields, which only the kind's module knows. Kinds are found with {@link Plugins}: the
 * storage modules on the class path or in the plugin directory are the kinds this server knows.
 */
public final class StorageProfileParser {
  public static final String TYPE = "type";

  private StorageProfileParser() {}

  /** The storage kinds on the class path, one instance each, by type. */
  public static Map<String, StorageKind> kinds() {
    return Kinds.ALL;
  }

  private static final class Kinds {
    static final Map<String, StorageKind> ALL =
        Plugins.load(StorageKind.class).stream()
            .collect(Collectors.toUnmodifiableMap(StorageKind::type, Function.identity()));
  }

  public static String toJson(StorageProfile profile) {
    return JsonUtil.generate(generator -> toJson(profile, generator), false);
  }

  public static void toJson(StorageProfile profile, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeStringField(TYPE, profile.type());
    kind(profile.type()).write(profile, generator);
    generator.writeEndObject();
  }

  public static StorageProfile fromJson(String json) {
    try {
      return fromJson(JsonUtil.mapper().readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a storage profile. Unknown fields are refused, so that a misspelt setting is not
   * silently ignored.
   *
   * @throws BadRequestException if the JSON is not a valid profile
   */
  public static StorageProfile fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new BadRequestException("Invalid storage profile: must be an object");
    }
    JsonNode type = json.get(TYPE);
    if (type == null || !type.isTextual()) {
      throw new BadRequestException("Invalid storage profile: missing string field %s", TYPE);
    }
    StorageKind kind = kinds().get(type.asText());
    if (kind == null) {
      throw new BadRequestException(
          "Invalid storage profile: unknown type %s (this server knows %s)", type.asText(), List.copyOf(kinds().keySet()));
    }
    return kind.parse(new ProfileJson(json));
  }

  private static StorageKind kind(String type) {
    StorageKind kind = kinds().get(type);
    if (kind == null) {
      throw new IllegalStateException("No storage kind " + type + " on the class path");
    }
    return kind;
  }
}
