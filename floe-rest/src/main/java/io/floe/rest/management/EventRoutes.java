package io.floe.rest.management;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.authz.Access;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.rest.http.Call;
import io.floe.rest.http.RawJson;
import io.floe.rest.http.Route;
import io.floe.rest.http.RouteGroup;
import io.floe.spi.authz.Relation;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.events.EventOutbox;
import io.floe.spi.events.OutboxEvent;
import io.floe.spi.tenancy.Warehouse;
import java.util.List;

/**
 * A warehouse's events feed, for consumers without a broker: the outbox's CloudEvents, oldest
 * first, after an opaque cursor. Reading it needs select on the warehouse, since events carry the
 * names, schemas and changes of everything in it.
 *
 * <pre>
 * curl 'localhost:8181/management/v1/warehouses/$W/events?limit=100'
 * curl 'localhost:8181/management/v1/warehouses/$W/events?after=$NEXT_CURSOR'
 * </pre>
 *
 * <p>{@code next-cursor} is where to continue: after the last event returned, or the same cursor
 * when there was nothing new, so a consumer can poll with it.
 */
public final class EventRoutes implements RouteGroup {
  public static final String EVENTS = "/management/v1/warehouses/{warehouse}/events";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final EventOutbox outbox;
  private final Warehouses warehouses;
  private final Access access;

  public EventRoutes(EventOutbox outbox, Warehouses warehouses, Access access) {
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.warehouses = requireNonNull(warehouses, "warehouses is null");
    this.access = requireNonNull(access, "access is null");
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.get(EVENTS, "list-events", this::events));
  }

  private Object events(Call call) {
    Warehouse warehouse = ManagementParsers.warehouse(warehouses, access, call, Relation.SELECT);
    long after = cursor(call.query("after"));
    int limit = limit(call.query("limit"));
    List<OutboxEvent> events = outbox.read(warehouse.id(), after, limit);
    StringBuilder body = new StringBuilder("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      body.append(i == 0 ? "" : ",").append(events.get(i).json());
    }
    long next = events.isEmpty() ? after : events.get(events.size() - 1).position();
    body.append("],\"next-cursor\":\"").append(next).append("\"}");
    return new RawJson(body.toString());
  }

  private static long cursor(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      long cursor = Long.parseLong(text);
      if (cursor >= 0) {
        return cursor;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadRequestException("Invalid cursor: %s (use the next-cursor of an earlier answer)", text);
  }

  private static int limit(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadRequestException("Invalid limit: %s (expected 1 to %d)", text, MAX_LIMIT);
  }
}
