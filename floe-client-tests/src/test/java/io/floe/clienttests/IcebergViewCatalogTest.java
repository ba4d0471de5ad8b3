package io.floe.clienttests;

import java.io.IOException;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.view.ViewCatalogTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Iceberg's own view catalog contract suite, run through RESTCatalog against Floe over HTTP. */
class IcebergViewCatalogTest extends ViewCatalogTests<RESTCatalog> {
  private RESTCatalog catalog;

  @BeforeEach
  void openCatalog() {
    catalog = FloeServer.catalog("floe", FloeServer.createWarehouse(), Map.of());
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
  protected Catalog tableCatalog() {
    return catalog;
  }

  @Override
  protected boolean requiresNamespaceCreate() {
    return true;
  }

  @Override
  protected boolean supportsServerSideRetry() {
    return true;
  }
}
