package io.floe.rest.iceberg;

/** The path templates of the Iceberg REST API, as in the specification. */
public final class IcebergPaths {
  public static final String CONFIG = "/v1/config";
  public static final String NAMESPACES = "/v1/{prefix}/namespaces";
  public static final String NAMESPACE = "/v1/{prefix}/namespaces/{namespace}";
  public static final String NAMESPACE_PROPERTIES = "/v1/{prefix}/namespaces/{namespace}/properties";
  public static final String TABLES = "/v1/{prefix}/namespaces/{namespace}/tables";
  public static final String TABLE = "/v1/{prefix}/namespaces/{namespace}/tables/{table}";
  public static final String TABLE_METRICS = "/v1/{prefix}/namespaces/{namespace}/tables/{table}/metrics";
  public static final String TABLE_CREDENTIALS =
      "/v1/{prefix}/namespaces/{namespace}/tables/{table}/credentials";
  public static final String TABLE_SIGN = "/v1/{prefix}/namespaces/{namespace}/tables/{table}/sign";
  public static final String REGISTER_TABLE = "/v1/{prefix}/namespaces/{namespace}/register";
  public static final String RENAME_TABLE = "/v1/{prefix}/tables/rename";
  public static final String COMMIT_TRANSACTION = "/v1/{prefix}/transactions/commit";
  public static final String VIEWS = "/v1/{prefix}/namespaces/{namespace}/views";
  public static final String VIEW = "/v1/{prefix}/namespaces/{namespace}/views/{view}";
  public static final String REGISTER_VIEW = "/v1/{prefix}/namespaces/{namespace}/register-view";
  public static final String RENAME_VIEW = "/v1/{prefix}/views/rename";

  private IcebergPaths() {}
}
