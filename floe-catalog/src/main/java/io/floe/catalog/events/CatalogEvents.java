package io.floe.catalog.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.floe.spi.events.ChangeEvent;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.TabularId;
import io.floe.spi.tenancy.Project;
import io.floe.spi.tenancy.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.MetadataUpdateParser;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.JsonUtil;

/**
 * The CloudEvents (1.0, structured JSON) the catalog's changes produce. Every event names its
 * object's id and name, the warehouse and project it belongs to and, when identity is known, the
 * principal who made the change (extension {@code floeprincipal}); its {@code type} is {@code
 * io.floe.<object>.<what happened>}.
 */
public final class CatalogEvents {
  public static final String PREFIX = "io.floe.";
  private static final JsonFormat FORMAT = new JsonFormat();

  private CatalogEvents() {}

  /** A new {@code data} object. */
  public static ObjectNode data() {
    return JsonUtil.mapper().createObjectNode();
  }

  public static ChangeEvent project(String action, Project project, ObjectNode data) {
    data.put("project-id", project.id().value().toString());
    data.put("project-name", project.name());
    return event("project." + action, null, project.id().value(), "/projects/" + project.id().value(), project.name(), data);
  }

  public static ChangeEvent warehouse(String action, Warehouse warehouse, ObjectNode data) {
    return event(
        "warehouse." + action, warehouse, warehouse.id().value(), source(warehouse), warehouse.name(),
        withWarehouse(data, warehouse));
  }

  public static ChangeEvent namespace(String action, Warehouse warehouse, UUID id, Namespace namespace, ObjectNode data) {
    withWarehouse(data, warehouse);
    data.put("namespace-id", id.toString());
    data.set("namespace", levels(namespace));
    return event("namespace." + action, warehouse, id, source(warehouse), namespace.toString(), data);
  }

  public static ChangeEvent table(
      String action, Warehouse warehouse, TabularId id, TableIdentifier identifier, ObjectNode data) {
    return tabular("table", action, warehouse, id, identifier, data);
  }

  public static ChangeEvent view(
      String action, Warehouse warehouse, TabularId id, TableIdentifier identifier, ObjectNode data) {
    return tabular("view", action, warehouse, id, identifier, data);
  }

  /**
   * Grants changed on an object (in OpenFGA, outside Floe's database: written after the fact).
   *
   * @param warehouse the warehouse the object is in (or is), or null above warehouses
   */
  public static ChangeEvent grants(
      io.floe.spi.authz.ObjectRef object, Warehouse warehouse, List<io.floe.spi.authz.Assignment> writes,
      List<io.floe.spi.authz.Assignment> deletes) {
    ObjectNode data = data();
    if (warehouse != null) {
      withWarehouse(data, warehouse);
    }
    data.put("object-type", object.type().text());
    data.put("object-id", object.id());
    data.set("writes", assignments(writes));
    data.set("deletes", assignments(deletes));
    UUID id;
    try {
      id = UUID.fromString(object.id());
    } catch (IllegalArgumentException e) {
      id = new UUID(0, 0); // the server
    }
    return event(
        "grants.changed", warehouse, id, warehouse == null ? "/server" : source(warehouse),
        object.type().text() + ":" + object.id(), data);
  }

  private static ArrayNode assignments(List<io.floe.spi.authz.Assignment> assignments) {
    ArrayNode array = JsonUtil.mapper().createArrayNode();
    for (io.floe.spi.authz.Assignment assignment : assignments) {
      array.addObject().put("principal", assignment.principal()).put("relation", assignment.relation().text());
    }
    return array;
  }

  /** The JSON of metadata updates, as the Iceberg REST API writes them. */
  public static ArrayNode updates(List<MetadataUpdate> updates) {
    ArrayNode array = JsonUtil.mapper().createArrayNode();
    for (MetadataUpdate update : updates) {
      array.add(parse(MetadataUpdateParser.toJson(update)));
    }
    return array;
  }

  /** A table's or view's name as {@code {"namespace": [...], "name": ...}}. */
  public static ObjectNode identifier(TableIdentifier identifier) {
    ObjectNode node = JsonUtil.mapper().createObjectNode();
    node.set("namespace", levels(identifier.namespace()));
    node.put("name", identifier.name());
    return node;
  }

  public static ArrayNode levels(Namespace namespace) {
    ArrayNode array = JsonUtil.mapper().createArrayNode();
    for (String level : namespace.levels()) {
      array.add(level);
    }
    return array;
  }

  private static ChangeEvent tabular(
      String kind, String action, Warehouse warehouse, TabularId id, TableIdentifier identifier, ObjectNode data) {
    withWarehouse(data, warehouse);
    data.put(kind + "-id", id.toString());
    data.set("namespace", levels(identifier.namespace()));
    data.put("name", identifier.name());
    return event(kind + "." + action, warehouse, id.value(), source(warehouse), identifier.toString(), data);
  }

  private static ObjectNode withWarehouse(ObjectNode data, Warehouse warehouse) {
    data.put("project-id", warehouse.projectId().value().toString());
    data.put("warehouse-id", warehouse.id().value().toString());
    data.put("warehouse-name", warehouse.name());
    return data;
  }

  private static String source(Warehouse warehouse) {
    return "/warehouses/" + warehouse.id().value();
  }

  private static ChangeEvent event(
      String type, Warehouse warehouse, UUID object, String source, String subject, ObjectNode data) {
    UUID id = UUID.randomUUID();
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId(id.toString())
            .withType(PREFIX + type)
            .withSource(URI.create(source))
            .withSubject(subject)
            .withTime(OffsetDateTime.now(ZoneOffset.UTC))
            .withDataContentType("application/json")
            .withData(data.toString().getBytes(StandardCharsets.UTF_8))
            .withExtension("floeobject", object.toString());
    if (warehouse != null) {
      builder.withExtension("floewarehouse", warehouse.id().value().toString());
    }
    ChangeEvents.actor().ifPresent(actor -> builder.withExtension("floeprincipal", actor));
    CloudEvent event = builder.build();
    return new ChangeEvent(
        id, PREFIX + type, warehouse == null ? null : warehouse.id(), object,
        new String(FORMAT.serialize(event), StandardCharsets.UTF_8));
  }

  private static JsonNode parse(String json) {
    try {
      return JsonUtil.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
