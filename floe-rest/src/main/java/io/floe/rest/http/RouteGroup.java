package io.floe.rest.http;

import java.util.List;

/** A group of routes declared as one table, e.g. the Iceberg REST API or the management API. */
public interface RouteGroup {
  List<Route> routes();
}
