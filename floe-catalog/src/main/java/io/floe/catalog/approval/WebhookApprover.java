package io.floe.catalog.approval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.floe.catalog.events.CatalogEvents;
import io.floe.spi.approval.ChangeApproval;
import io.floe.spi.approval.ProposedChange;
import io.floe.spi.approval.Verdict;
import io.floe.spi.approval.WebhookSettings;
import io.floe.spi.store.CatalogStore;
import io.floe.spi.tenancy.Warehouse;
import io.floe.spi.tenancy.WarehouseId;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.UpdateRequirementParser;
import org.apache.iceberg.util.JsonUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in approver: POSTs each proposed change of a warehouse that has a webhook to its URL,
 * and reads {@code {"approved": true}} or {@code {"approved": false, "reason": "..."}}. A call that
 * fails, times out or answers anything else approves when the webhook fails open, and vetoes when
 * it fails closed. A warehouse's webhook is read from the database and kept for a short while.
 *
 * <p>The request body: {@code operation}, {@code type} (table or view), {@code warehouse-id},
 * {@code warehouse-name}, {@code identifier} ({@code {"namespace": [...], "name": ...}}), {@code
 * metadata} (current, or null), {@code requirements} and {@code updates} (as the Iceberg REST API
 * writes them), {@code destination} (renames), {@code purge-requested} (drops), {@code principal}.
 */
public final class WebhookApprover implements ChangeApproval {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookApprover.class);
  private static final int MAX_ANSWER = 64 * 1024;

  private final CatalogStore store;
  private final Cache<WarehouseId, Optional<WebhookSettings>> settings;

  /** @param settingsLifetime how long a warehouse's webhook settings are kept before being read again */
  public WebhookApprover(CatalogStore store, Duration settingsLifetime) {
    this.store = requireNonNull(store, "store is null");
    this.settings = Caffeine.newBuilder().expireAfterWrite(settingsLifetime).maximumSize(10_000).build();
  }

  /** Made at the first webhook call: a client sets up TLS (the trust store) when it is built, which start need not wait for. */
  private static final class Http {
    static final HttpClient CLIENT =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String name() {
    return "the warehouse's approval webhook";
  }

  @Override
  public boolean applies(Warehouse warehouse) {
    return settings(warehouse.id()).isPresent();
  }

  /** Forgets a warehouse's settings on this server, when they changed here. */
  public void invalidate(WarehouseId warehouse) {
    settings.invalidate(warehouse);
  }

  private Optional<WebhookSettings> settings(WarehouseId warehouse) {
    Optional<WebhookSettings> known = settings.getIfPresent(warehouse);
    if (known == null) {
      known = store.approvalWebhook(warehouse);
      settings.put(warehouse, known);
    }
    return known;
  }

  @Override
  public Verdict review(ProposedChange change) {
    Optional<WebhookSettings> configured = settings(change.warehouse().id());
    if (configured.isEmpty()) {
      return Verdict.APPROVED;
    }
    WebhookSettings webhook = configured.get();
    HttpResponse<java.io.InputStream> response;
    String text;
    try {
      response =
          Http.CLIENT.send(
              HttpRequest.newBuilder(webhook.url())
                  .timeout(webhook.timeout())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body(change)))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream body = response.body()) {
        // an answer is a few bytes: more is not read
        text = new String(body.readNBytes(MAX_ANSWER), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return unanswered(webhook, change, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unanswered(webhook, change, "interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      return unanswered(webhook, change, "HTTP " + response.statusCode());
    }
    JsonNode answer;
    try {
      answer = JsonUtil.mapper().readTree(text);
    } catch (IOException e) {
      return unanswered(webhook, change, "an answer that is not JSON");
    }
    JsonNode approved = answer == null ? null : answer.get("approved");
    if (approved == null || !approved.isBoolean()) {
      return unanswered(webhook, change, "an answer without \"approved\": true or false");
    }
    return approved.asBoolean() ? Verdict.APPROVED : Verdict.veto(answer.path("reason").asText(null));
  }

  private static Verdict unanswered(WebhookSettings webhook, ProposedChange change, String what) {
    LOG.warn("approval webhook {} for {} of {}: {}; failing {}", webhook.url(), change.operation(), change.identifier(), what,
        webhook.failOpen() ? "open (approved)" : "closed (vetoed)");
    return webhook.failOpen()
        ? Verdict.APPROVED
        : Verdict.veto("the approval webhook did not answer (" + what + ") and the warehouse's approval fails closed");
  }

  static String body(ProposedChange change) {
    ObjectNode body = JsonUtil.mapper().createObjectNode();
    body.put("operation", change.operation());
    body.put("type", change.view() ? "view" : "table");
    body.put("warehouse-id", change.warehouse().id().value().toString());
    body.put("warehouse-name", change.warehouse().name());
    body.set("identifier", CatalogEvents.identifier(change.identifier()));
    body.set("metadata", change.currentMetadata() == null ? null : parse(change.currentMetadata()));
    ArrayNode requirements = body.putArray("requirements");
    for (UpdateRequirement requirement : change.requirements()) {
      requirements.add(parse(UpdateRequirementParser.toJson(requirement)));
    }
    body.set("updates", CatalogEvents.updates(change.updates()));
    if (change.destination() != null) {
      body.set("destination", CatalogEvents.identifier(change.destination()));
    }
    if (change.operation().equals("drop")) {
      body.put("purge-requested", change.purge());
    }
    body.put("principal", change.principal());
    return body.toString();
  }

  private static JsonNode parse(String json) {
    try {
      return JsonUtil.mapper().readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
