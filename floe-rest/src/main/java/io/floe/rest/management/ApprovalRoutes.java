package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.catalog.approval.WebhookApprover;
import io.floe.catalog.authz.Access;
import io.floe.catalog.events.CatalogEvents;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.rest.http.Call;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.approval.WebhookSettings;
import io.floe.spi.authz.Relation;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.NotFoundException;
import io.floe.spi.events.ChangeEvents;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.tenancy.Warehouse;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A warehouse's change-approval webhook: asked before each commit, drop or rename of its tables
 * and views (see {@link WebhookApprover}). Reading it needs describe on the warehouse; setting or
 * removing it, ownership (Floe calls the URL it names).
 *
 * <pre>
 * curl -X PUT localhost:8181/management/v1/warehouses/$W/approval-webhook \
 *   -d '{"url":"https://contracts.example/floe","timeout-ms":2000,"fail-open":false}'
 * </pre>
 */
public final class ApprovalRoutes implements RouteGroup {
  public static final String WEBHOOK = "/management/v1/warehouses/{warehouse}/approval-webhook";

  private final CatalogStore store;
  private final WebhookApprover approver;
  private final Warehouses warehouses;
  private final Access access;

  public ApprovalRoutes(CatalogStore store, WebhookApprover approver, Warehouses warehouses, Access access) {
    this.store = requireNonNull(store, "store is null");
    this.approver = requireNonNull(approver, "approver is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.access = requireNonNull(access, "access is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(WEBHOOK, "get-approval-webhook", this::get),
        Route.put(WEBHOOK, "set-approval-webhook", this::set),
        Route.delete(WEBHOOK, "remove-approval-webhook", this::remove));
  }

  private Object get(Call call) {
    Warehouse warehouse = warehouse(call, Relation.DESCRIBE);
    WebhookSettings webhook =
        store.approvalWebhook(warehouse.id())
            .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.OBJECT, "Warehouse %s has no approval webhook", warehouse.name()));
    return describe(webhook);
  }

  private Object set(Call call) {
    Warehouse warehouse = warehouse(call, Relation.OWNERSHIP);
    WebhookSettings webhook = parse(call.jsonBody());
    change(warehouse, webhook);
    return describe(webhook);
  }

  private Object remove(Call call) {
    Warehouse warehouse = warehouse(call, Relation.OWNERSHIP);
    change(warehouse, null);
    return null;
  }

  private void change(Warehouse warehouse, WebhookSettings webhook) {
    ChangeEvents.during(
        CatalogEvents.warehouse("approval-webhook-changed", warehouse, CatalogEvents.data().put("enabled", webhook != null)),
        () -> store.setApprovalWebhook(warehouse.id(), webhook));
    approver.invalidate(warehouse.id());
  }

  static WebhookSettings parse(JsonNode body) {
    String url = body.path("url").asText("");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid approval webhook: url is not a URL: %s", url);
    }
    if (!uri.isAbsolute() || uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new BadRequestException("Invalid approval webhook: url must be an absolute http or https URL, got '%s'", url);
    }
    JsonNode timeout = body.get("timeout-ms");
    long millis = 5000;
    if (timeout != null && !timeout.isNull()) {
      if (!timeout.isIntegralNumber() || timeout.asLong() < 1 || timeout.asLong() > 60_000) {
        throw new BadRequestException("Invalid approval webhook: timeout-ms must be a whole number from 1 to 60000");
      }
      millis = timeout.asLong();
    }
    JsonNode failOpen = body.get("fail-open");
    if (failOpen != null && !failOpen.isNull() && !failOpen.isBoolean()) {
      throw new BadRequestException("Invalid approval webhook: fail-open must be true or false");
    }
    return new WebhookSettings(uri, Duration.ofMillis(millis), failOpen != null && failOpen.asBoolean(false));
  }

  private static Map<String, Object> describe(WebhookSettings webhook) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", webhook.url().toString());
    body.put("timeout-ms", webhook.timeout().toMillis());
    body.put("fail-open", webhook.failOpen());
    return body;
  }

  private Warehouse warehouse(Call call, Relation relation) {
    return ManagementParsers.warehouse(warehouses, access, call, relation);
  }
}
