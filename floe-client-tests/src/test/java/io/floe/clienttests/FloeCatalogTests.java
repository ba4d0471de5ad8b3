package io.floe.clienttests;

import java.io.IOException;
import java.util.Map;
import org.apache.iceberg.catalog.CatalogTests;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Iceberg's catalog contract suite with what every Floe warehouse offers. Each test gets a fresh
 * warehouse; subclasses choose its storage and the client's FileIO.
 */
abstract class FloeCatalogTests extends CatalogTests<RESTCatalog> {
  protected RESTCatalog catalog;

  /** Creates the warehouse for the next test; returns its name. */
  protected abstract String createWarehouse();

  /** A catalog client on {@code warehouse}. */
  protected abstract RESTCatalog catalog(String name, String warehouse, Map<String, String> properties);

  private String warehouse;

  @BeforeEach
  void openCatalog() {
    warehouse = createWarehouse();
    catalog = initCatalog("floe", Map.of());
  }

  @AfterEach
  void closeCatalog() throws IOException {
    if (catalog != null) {
      catalog.close();
    }
  }

  @Override
  protected RESTCatalog catalog() {
    return catalog;
  }

  @Override
  protected RESTCatalog initCatalog(String catalogName, Map<String, String> additionalProperties) {
    return catalog(catalogName, warehouse, additionalProperties);
  }

  @Override
  protected boolean requiresNamespaceCreate() {
    return true;
  }

  @Override
  protected boolean supportsServerSideRetry() {
    return true;
  }

  @Override
  protected boolean supportsNestedNamespaces() {
    return true;
  }

  @Override
  protected boolean supportsNamespaceProperties() {
    return true;
  }
}
