package io.floe.store.postgres;

import io.floe.spi.error.NotEmptyException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.approval.WebhookSettings;
import io.floe.spi.store.DeleteProfile;
import io.floe.spi.store.Protectable;
import io.floe.spi.tenancy.WarehouseId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A warehouse's settings about leaving: its objects' protection and its delete profile. */
final class Protections {
  private final Transactions tx;

  Protections(Transactions tx) {
    this.tx = tx;
  }

  boolean isProtected(WarehouseId warehouse, Protectable kind, UUID id) {
    return tx.readPrimary(
        c -> Sql.queryOne(c, "select protected from " + where(kind), rs -> rs.getBoolean(1), args(warehouse, kind, id)))
        .orElseThrow(() -> missing(kind, id));
  }

  void setProtected(WarehouseId warehouse, Protectable kind, UUID id, boolean value) {
    Object[] args = args(warehouse, kind, id);
    Object[] all = new Object[args.length + 1];
    all[0] = value;
    System.arraycopy(args, 0, all, 1, args.length);
    String table = where(kind);
    tx.execute(
        "update " + table.replaceFirst(" where ", " set protected = ? where "), () -> missing(kind, id), Map.of(), all);
  }

  DeleteProfile deleteProfile(WarehouseId warehouse) {
    return tx.readPrimary(
            c ->
                Sql.queryOne(
                    c, "select soft_delete_seconds from warehouse where id = ?",
                    rs -> rs.getObject(1) == null ? DeleteProfile.HARD : new DeleteProfile(Duration.ofSeconds(rs.getLong(1))),
                    warehouse.value()))
        .orElseThrow(() -> missing(Protectable.WAREHOUSE, warehouse.value()));
  }

  void setDeleteProfile(WarehouseId warehouse, DeleteProfile profile) {
    tx.execute(
        "update warehouse set soft_delete_seconds = ?, updated_at = now() where id = ?",
        () -> missing(Protectable.WAREHOUSE, warehouse.value()), Map.of(),
        profile.soft() ? profile.keepFor().toSeconds() : null, warehouse.value());
  }

  java.util.Optional<WebhookSettings> approvalWebhook(WarehouseId warehouse) {
    // a change is judged by the settings of now: never a replica's
    return tx.readPrimary(
        c ->
            Sql.queryOne(
                    c, "select approval_webhook::text from warehouse where id = ?",
                    rs -> java.util.Optional.ofNullable(rs.getString(1)), warehouse.value())
                .orElseThrow(() -> missing(Protectable.WAREHOUSE, warehouse.value())))
        .map(Protections::webhook);
  }

  void setApprovalWebhook(WarehouseId warehouse, WebhookSettings webhook) {
    String json = null;
    if (webhook != null) {
      com.fasterxml.jackson.databind.node.ObjectNode node = org.apache.iceberg.util.JsonUtil.mapper().createObjectNode();
      node.put("url", webhook.url().toString());
      node.put("timeout-ms", webhook.timeout().toMillis());
      node.put("fail-open", webhook.failOpen());
      json = node.toString();
    }
    tx.execute(
        "update warehouse set approval_webhook = ?::jsonb, updated_at = now() where id = ?",
        () -> missing(Protectable.WAREHOUSE, warehouse.value()), Map.of(), json, warehouse.value());
  }

  private static WebhookSettings webhook(String json) {
    try {
      com.fasterxml.jackson.databind.JsonNode node = org.apache.iceberg.util.JsonUtil.mapper().readTree(json);
      return new WebhookSettings(
          java.net.URI.create(node.path("url").asText()), Duration.ofMillis(node.path("timeout-ms").asLong()),
          node.path("fail-open").asBoolean());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Drops an empty warehouse, unless it is protected and the drop is not forced. */
  void dropWarehouse(WarehouseId id, boolean force) {
    tx.mutation(
        c -> {
          boolean isProtected =
              Sql.queryOne(c, "select protected from warehouse where id = ? for update", rs -> rs.getBoolean(1), id.value())
                  .orElseThrow(() -> missing(Protectable.WAREHOUSE, id.value()));
          if (isProtected && !force) {
            throw Deletions.protectedObject("Warehouse", id);
          }
          try (PreparedStatement s = c.prepareStatement("delete from warehouse where id = ?")) {
            s.setObject(1, id.value());
            s.executeUpdate();
          } catch (SQLException e) {
            if (Jdbc.is(e, Jdbc.FOREIGN_KEY_VIOLATION)) {
              throw new NotEmptyException(
                  "Warehouse is not empty: %s (it holds namespaces, or dropped tables or views not yet expired)", id);
            }
            throw e;
          }
          return null;
        });
  }

  private static String where(Protectable kind) {
    return switch (kind) {
      case WAREHOUSE -> "warehouse where id = ?";
      case NAMESPACE -> "namespace where warehouse_id = ? and id = ?";
      case TABLE -> "tabular where warehouse_id = ? and id = ? and kind = 'table' and deleted_at is null";
      case VIEW -> "tabular where warehouse_id = ? and id = ? and kind = 'view' and deleted_at is null";
    };
  }

  private static Object[] args(WarehouseId warehouse, Protectable kind, UUID id) {
    return kind == Protectable.WAREHOUSE ? new Object[] {warehouse.value()} : new Object[] {warehouse.value(), id};
  }

  private static NotFoundException missing(Protectable kind, UUID id) {
    return switch (kind) {
      case WAREHOUSE -> new NotFoundException(NotFoundException.Kind.WAREHOUSE, "Warehouse does not exist: %s", id);
      case NAMESPACE -> new NotFoundException(NotFoundException.Kind.NAMESPACE, "Namespace does not exist: %s", id);
      case TABLE -> new NotFoundException(NotFoundException.Kind.TABLE, "Table does not exist: %s", id);
      case VIEW -> new NotFoundException(NotFoundException.Kind.VIEW, "View does not exist: %s", id);
    };
  }

}
