package io.floe.clienttests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalog;

/** The Floe server under test, started by the test script and named by {@code -Dfloe.uri}. */
final class FloeServer {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private FloeServer() {}

  static String uri() {
    String uri = System.getProperty("floe.uri");
    if (uri == null || uri.isBlank()) {
      uri = System.getenv("FLOE_URI");
    }
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("No Floe server: pass -Dfloe.uri=http://127.0.0.1:PORT (the test script does)");
    }
    return uri;
  }

  /**
   * The client credential ({@code id:secret}) of a server with authentication on, from {@code
   * -Dfloe.credential}; then {@code -Dfloe.oauth2.uri} names the provider's token endpoint.
   */
  static String credential() {
    String credential = System.getProperty("floe.credential");
    return credential == null || credential.isBlank() ? null : credential;
  }

  /** A bearer token for the management API, when authentication is on (null otherwise). */
  static String token() throws IOException, InterruptedException {
    String credential = credential();
    if (credential == null) {
      return null;
    }
    int colon = credential.indexOf(':');
    String form = "grant_type=client_credentials&client_id=" + credential.substring(0, colon) + "&client_secret="
        + credential.substring(colon + 1);
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(System.getProperty("floe.oauth2.uri")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    java.util.regex.Matcher token = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    if (!token.find()) {
      throw new IllegalStateException("No token from the provider: " + response.statusCode());
    }
    return token.group(1);
  }

  /** A fresh warehouse in the default project, so that each test starts from an empty catalog. */
  static String createWarehouse() {
    String name = "test-" + UUID.randomUUID();
    try {
      Path root = Files.createTempDirectory("floe-warehouse");
      createWarehouse(
          "{\"name\":\"" + name + "\",\"storage-profile\":{\"type\":\"local\",\"root\":\"" + root
              + "\"},\"extra-locations\":[\"" + System.getProperty("java.io.tmpdir") + "\"]}");
      return name;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates a warehouse in the default project from its management API body. */
  static void createWarehouse(String body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(uri() + "/management/v1/projects/default/warehouses"))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/json");
      String token = token();
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IllegalStateException("Cannot create warehouse: " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static RESTCatalog catalog(String name, String warehouse, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.URI, uri());
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    properties.put(CatalogProperties.FILE_IO_IMPL, "io.floe.storage.local.LocalFileIO");
    // the catalog-level defaults and overrides Iceberg's suites expect, as its own harnesses set them
    properties.put("table-default.default-key1", "catalog-default-key1");
    properties.put("table-default.default-key2", "catalog-default-key2");
    properties.put("table-default.override-key3", "catalog-default-key3");
    properties.put("table-override.override-key3", "catalog-override-key3");
    properties.put("table-override.override-key4", "catalog-override-key4");
    properties.put("view-default.key1", "catalog-default-key1");
    properties.put("view-default.key2", "catalog-default-key2");
    properties.put("view-default.key3", "catalog-default-key3");
    properties.put("view-override.key3", "catalog-override-key3");
    properties.put("view-override.key4", "catalog-override-key4");
    if (credential() != null) {
      // tokens from the OpenID provider, as Spark, Trino or PyIceberg would get them
      properties.put("credential", credential());
      properties.put("oauth2-server-uri", System.getProperty("floe.oauth2.uri"));
      properties.put("scope", "openid");
    }
    properties.putAll(extra);
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize(name, properties);
    return catalog;
  }
}
