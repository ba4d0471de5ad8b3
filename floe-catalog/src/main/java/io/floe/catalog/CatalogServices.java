package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.credentials.AccessRule;
import io.floe.catalog.credentials.TableCredentials;
import io.floe.catalog.credentials.TableSigning;
import io.floe.catalog.namespaces.Namespaces;
import io.floe.catalog.tables.Tables;
import io.floe.catalog.tenancy.Tenancy;
import io.floe.catalog.tenancy.Warehouses;
import io.floe.catalog.views.Views;

/** The catalog's operations, grouped for the REST layer. */
public record CatalogServices(
    Warehouses warehouses,
    Tenancy tenancy,
    Namespaces namespaces,
    Tables tables,
    Views views,
    TableCredentials credentials,
    TableSigning signing,
    AccessRule access,
    io.floe.catalog.authz.Access authz) {
  public CatalogServices {
    requireNonNull(warehouses, "warehouses is null");
    requireNonNull(tenancy, "tenancy is null");
    requireNonNull(namespaces, "namespaces is null");
    requireNonNull(tables, "tables is null");
    requireNonNull(views, "views is null");
    requireNonNull(credentials, "credentials is null");
    requireNonNull(signing, "signing is null");
    requireNonNull(access, "access is null");
    requireNonNull(authz, "authz is null");
  }
}
