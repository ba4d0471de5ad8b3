package io.floe.rest.management;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.StorageProfile;
import io.floe.spi.tenancy.StorageProfileParser;
import io.floe.spi.tenancy.Warehouse;
import java.io.IOException;
import java.util.ArrayList;
import io.floe.spi.secrets.Secret;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.util.JsonUtil;

/** The JSON forms of the management API's projects and warehouses. */
final class ManagementParsers {
  static final String ID = "id";
  static final String NAME = "name";
  static final String PROJECT_ID = "project-id";
  static final String STORAGE_PROFILE = "storage-profile";
  static final String EXTRA_LOCATIONS = "extra-locations";
  static final String STORAGE_CREDENTIAL = "storage-credential";
  static final String STORAGE_CREDENTIAL_STORED = "storage-credential-stored";
  static final String PROJECTS = "projects";
  static final String WAREHOUSES = "warehouses";

  /** The body of a warehouse creation. */
  record CreateWarehouse(
      String name, StorageProfile storage, List<String> extraLocations, Optional<Secret> credential) {}

  /** The body of a change of a warehouse's storage. */
  record UpdateStorage(StorageProfile storage, Optional<Secret> credential) {}

  private ManagementParsers() {}

  static String toJson(Project project) {
    return JsonUtil.generate(generator -> write(project, generator), false);
  }

  static String projectsToJson(List<Project> projects) {
    return JsonUtil.generate(
        generator -> {
          generator.writeStartObject();
          generator.writeArrayFieldStart(PROJECTS);
          for (Project project : projects) {
            write(project, generator);
          }
          generator.writeEndArray();
          generator.writeEndObject();
        },
        false);
  }

  static String toJson(Warehouse warehouse) {
    return JsonUtil.generate(generator -> write(warehouse, generator), false);
  }

  static String warehousesToJson(List<Warehouse> warehouses) {
    return JsonUtil.generate(
        generator -> {
          generator.writeStartObject();
          generator.writeArrayFieldStart(WAREHOUSES);
          for (Warehouse warehouse : warehouses) {
            write(warehouse, generator);
          }
          generator.writeEndArray();
          generator.writeEndObject();
        },
        false);
  }

  private static void write(Project project, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeStringField(ID, project.id().toString());
    generator.writeStringField(NAME, project.name());
    generator.writeEndObject();
  }

  private static void write(Warehouse warehouse, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeStringField(ID, warehouse.id().toString());
    generator.writeStringField(PROJECT_ID, warehouse.projectId().toString());
    generator.writeStringField(NAME, warehouse.name());
    generator.writeFieldName(STORAGE_PROFILE);
    StorageProfileParser.toJson(warehouse.storage(), generator);
    generator.writeArrayFieldStart(EXTRA_LOCATIONS);
    for (String location : warehouse.extraLocations()) {
      generator.writeString(location);
    }
    generator.writeEndArray();
    // the credential itself is never returned, only whether there is one
    generator.writeBooleanField(STORAGE_CREDENTIAL_STORED, warehouse.credential().isPresent());
    generator.writeEndObject();
  }

  static String name(JsonNode json) {
    return requiredString(json, NAME);
  }

  static CreateWarehouse createWarehouse(JsonNode json) {
    String name = requiredString(json, NAME);
    StorageProfile storage = StorageProfileParser.fromJson(json.get(STORAGE_PROFILE));
    List<String> extra = new ArrayList<>();
    JsonNode locations = json.get(EXTRA_LOCATIONS);
    if (locations != null && !locations.isNull()) {
      if (!locations.isArray()) {
        throw new BadRequestException("Invalid %s: must be an array of strings", EXTRA_LOCATIONS);
      }
      for (JsonNode location : locations) {
        if (!location.isTextual()) {
          throw new BadRequestException("Invalid %s: must be an array of strings", EXTRA_LOCATIONS);
        }
        extra.add(location.asText());
      }
    }
    return new CreateWarehouse(name, storage, extra, credential(json.get(STORAGE_CREDENTIAL)));
  }

  static UpdateStorage updateStorage(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new BadRequestException("Invalid request: body must be a JSON object");
    }
    return new UpdateStorage(
        StorageProfileParser.fromJson(json.get(STORAGE_PROFILE)), credential(json.get(STORAGE_CREDENTIAL)));
  }

  /**
   * A storage credential: an object of string values, such as
   * {@code {"type":"s3-access-key","access-key-id":"...","secret-access-key":"..."}}. The values
   * never appear in an error message.
   */
  static Optional<Secret> credential(JsonNode json) {
    if (json == null || json.isNull()) {
      return Optional.empty();
    }
    if (!json.isObject() || json.isEmpty()) {
      throw new BadRequestException("Invalid %s: must be an object of string values", STORAGE_CREDENTIAL);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isTextual() || field.getValue().asText().isEmpty()) {
        throw new BadRequestException(
            "Invalid %s: %s must be a non-empty string", STORAGE_CREDENTIAL, field.getKey());
      }
      values.put(field.getKey(), field.getValue().asText());
    }
    return Optional.of(new Secret(values));
  }

  private static String requiredString(JsonNode json, String field) {
    if (json == null || !json.isObject()) {
      throw new BadRequestException("Invalid request: body must be a JSON object");
    }
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadRequestException("Invalid request: missing string field %s", field);
    }
    return value.asText();
  }

  /**
   * The warehouse of the path (by REST prefix or id), once the caller holds {@code relation} on
   * it; 404, as for a missing warehouse, without describe.
   */
  static io.floe.spi.tenancy.Warehouse warehouse(
      io.floe.catalog.tenancy.Warehouses warehouses, io.floe.catalog.authz.Access access, io.floe.rest.http.Call call,
      io.floe.spi.authz.Relation relation) {
    io.floe.spi.tenancy.Warehouse warehouse = warehouses.byPrefix(call.path("warehouse"));
    access.require(
        call.principal(), relation, io.floe.catalog.authz.Access.warehouse(warehouse),
        () -> new io.floe.spi.error.NotFoundException(
            io.floe.spi.error.NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", call.path("warehouse")));
    return warehouse;
  }
}
