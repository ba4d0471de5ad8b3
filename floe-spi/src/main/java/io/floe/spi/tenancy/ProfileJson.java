package io.floe.spi.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.spi.error.BadRequestException;
import java.util.Iterator;
import java.util.Set;

/** A storage profile's JSON object, read field by field with the errors every kind reports alike. */
public final class ProfileJson {
  private final JsonNode json;

  public ProfileJson(JsonNode json) {
    this.json = json;
  }

  public String type() {
    return json.get(StorageProfileParser.TYPE).asText();
  }

  /** Refuses every field not in {@code known} ({@code type} is always known). */
  public ProfileJson allow(Set<String> known) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(StorageProfileParser.TYPE) && !known.contains(name)) {
        throw new BadRequestException("Invalid storage profile: unknown field %s for type %s", name, type());
      }
    }
    return this;
  }

  public String text(String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadRequestException("Invalid storage profile: missing string field %s", field);
    }
    return value.asText();
  }

  public String optionalText(String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadRequestException("Invalid storage profile: %s must be a string", field);
    }
    return value.asText();
  }

  public Long optionalLong(String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new BadRequestException("Invalid storage profile: %s must be an integer", field);
    }
    return value.asLong();
  }

  /** Writes a field only when it has a value. */
  public static void writeOptional(com.fasterxml.jackson.core.JsonGenerator generator, String field, String value)
      throws java.io.IOException {
    if (value != null) {
      generator.writeStringField(field, value);
    }
  }

  public boolean bool(String field, boolean defaultValue) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw new BadRequestException("Invalid storage profile: %s must be true or false", field);
    }
    return value.asBoolean();
  }
}
