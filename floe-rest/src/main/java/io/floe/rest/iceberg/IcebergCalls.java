package io.floe.rest.iceberg;

import io.floe.catalog.CatalogServices;
import io.floe.rest.http.Call;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.store.PageRequest;
import io.floe.spi.tenancy.Warehouse;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTUtil;

/** The path and query parameters of the Iceberg REST routes, parsed one way for all of them. */
final class IcebergCalls {
  private IcebergCalls() {}

  static Warehouse warehouse(CatalogServices catalog, Call call) {
    return catalog.warehouses().byPrefix(call.path("prefix"));
  }

  static Namespace namespace(Call call) {
    try {
      return RESTUtil.decodeNamespace(call.rawPath("namespace"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid namespace: %s", call.rawPath("namespace"));
    }
  }

  static TableIdentifier table(Call call) {
    return TableIdentifier.of(namespace(call), call.path("table"));
  }

  static TableIdentifier view(Call call) {
    return TableIdentifier.of(namespace(call), call.path("view"));
  }

  /** A boolean query parameter: absent is false; anything but true or false is refused. */
  static boolean flag(Call call, String name) {
    String value = call.query(name);
    if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw new io.floe.spi.error.BadRequestException("Invalid %s: %s (expected true or false)", name, value);
  }

  /** Whether a drop is forced past protection ({@code force=true}). */
  static boolean force(Call call) {
    return flag(call, "force");
  }

  static PageRequest page(Call call) {
    return call.page();
  }

}
