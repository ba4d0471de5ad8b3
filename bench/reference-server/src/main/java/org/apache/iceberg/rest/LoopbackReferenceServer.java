package org.apache.iceberg.rest;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Iceberg's reference REST catalog server, assembled from its own pieces (JdbcCatalog, the
 * reference adapter and servlet) but bound to 127.0.0.1 instead of every interface. It lives in
 * Iceberg's package because the adapter's constructor is package-private.
 *
 * <p>Usage: {@code LoopbackReferenceServer PORT}; CATALOG_URI overrides the sqlite URI.
 */
public final class LoopbackReferenceServer {
  private LoopbackReferenceServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.CATALOG_IMPL, JdbcCatalog.class.getName());
    String uri = System.getenv("CATALOG_URI");
    properties.put(CatalogProperties.URI, uri != null ? uri : "jdbc:sqlite:file::memory:?cache=shared");
    properties.put("jdbc.schema-version", "V1");
    properties.put(
        CatalogProperties.WAREHOUSE_LOCATION,
        Files.createTempDirectory("iceberg-reference").toUri().toString());
    Catalog catalog = CatalogUtil.buildIcebergCatalog("rest_backend", properties, new Configuration());
    RESTCatalogAdapter adapter =
        new RESTServerCatalogAdapter(new RESTCatalogServer.CatalogContext(catalog, properties));
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.addServlet(new ServletHolder(new RESTCatalogServlet(adapter)), "/*");
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    System.out.println("reference server listening on 127.0.0.1:" + port);
    server.join();
  }
}
