package io.floe.spi.tenancy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.floe.spi.error.BadRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.util.JsonUtil;

/** The JSON form of a {@link StorageProfile}: an object whose {@code type} picks the kind. */
public final class StorageProfileParser {
  public static final String TYPE = "type";
  public static final String ROOT = "root";

  private StorageProfileParser() {}

  public static String toJson(StorageProfile profile) {
    return JsonUtil.generate(generator -> toJson(profile, generator), false);
  }

  public static void toJson(StorageProfile profile, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeStringField(TYPE, profile.type());
    switch (profile) {
      case LocalStorageProfile local -> generator.writeStringField(ROOT, local.root());
    }
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
   * Reads a storage profile.
   *
   * @throws BadRequestException if the JSON is not a valid profile
   */
  public static StorageProfile fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new BadRequestException("Invalid storage profile: must be an object");
    }
    String type = text(json, TYPE);
    return switch (type) {
      case LocalStorageProfile.TYPE -> new LocalStorageProfile(text(json, ROOT));
      default -> throw new BadRequestException("Invalid storage profile: unknown type %s", type);
    };
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadRequestException("Invalid storage profile: missing string field %s", field);
    }
    return value.asText();
  }
}
