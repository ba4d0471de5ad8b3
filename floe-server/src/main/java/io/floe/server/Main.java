package io.floe.server;

import io.floe.server.config.ConfigException;
import io.floe.server.config.FloeConfig;
import io.floe.server.config.Settings;
import io.floe.server.logging.LogSetup;
import java.util.List;
import java.util.Map;
import java.lang.management.ManagementFactory;

/** The command line: {@code floe serve} and friends. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "serve" -> serve();
      case "authz" -> authz(args);
      case "migrate" -> migrate();
      case "config" -> configCommand(args);
      case "help", "--help", "-h" -> help();
      default -> {
        System.err.println("floe: unknown command '" + command + "'");
        help();
        System.exit(2);
      }
    }
  }

  /** The configuration from the environment; a configuration error ends the process (status 2). */
  private static FloeConfig config() {
    try {
      FloeConfig config = FloeConfig.load(System.getenv());
      if (config.operations().jsonLogs()) {
        LogSetup.useJson();
      }
      LogSetup.levels(config.operations().logLevels());
      return config;
    } catch (ConfigException e) {
      System.err.println("floe: configuration error: " + e.getMessage());
      System.exit(2);
      throw e;
    }
  }

  private static void serve() throws Exception {
    FloeConfig config = config();
    Floe floe;
    try {
      floe = Floe.start(config);
    } catch (ConfigException e) {
      System.err.println("floe: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    } catch (Exception e) {
      System.err.println("floe: cannot start: " + oneLine(e));
      System.exit(1);
      return;
    }
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    org.slf4j.LoggerFactory.getLogger(Main.class).info("started in {} ms (JVM uptime)", uptime);
    Runtime.getRuntime().addShutdownHook(new Thread(floe::close, "floe-shutdown"));
    floe.join();
  }

  /** {@code floe migrate}: the schema brought to this version's, apart from serving. */
  private static void migrate() {
    FloeConfig config = config();
    try {
      io.floe.store.postgres.Database.Migrated migrated = Floe.migrate(config);
      System.out.println(
          migrated.applied() == 0
              ? "schema version " + migrated.to() + " is current"
              : "schema version " + migrated.to() + ": " + migrated.applied() + " migration(s) applied"
                  + (migrated.from() == null ? " to an empty database" : " after version " + migrated.from()));
    } catch (Exception e) {
      System.err.println("floe migrate: " + oneLine(e));
      System.exit(1);
    }
  }

  /**
   * {@code floe config check}: the configuration read as {@code serve} would, its errors reported
   * with status 2, and unknown {@code FLOE_} variables (typos, mostly) named. {@code floe config
   * reference}: the table of every setting, as docs/configuration.md has it.
   */
  private static void configCommand(String[] args) {
    String sub = args.length == 2 ? args[1] : "";
    switch (sub) {
      case "reference" -> System.out.print(Settings.reference());
      case "check" -> {
        Map<String, String> environment = System.getenv();
        List<String> unknown =
            environment.keySet().stream()
                .filter(key -> key.startsWith("FLOE_") && !Settings.KEYS.contains(key))
                .sorted()
                .toList();
        for (String key : unknown) {
          System.err.println("floe config check: warning: " + key + " is not a Floe setting and is ignored");
        }
        FloeConfig config = config();
        System.out.println("configuration is valid: " + config);
      }
      default -> {
        System.err.println("usage: floe config check | floe config reference");
        System.exit(2);
      }
    }
  }

  /** {@code floe authz migrate}: brings the OpenFGA store's model to this version's. */
  private static void authz(String[] args) {
    if (args.length != 2 || !args[1].equals("migrate")) {
      System.err.println("usage: floe authz migrate");
      System.exit(2);
    }
    FloeConfig config = config();
    if (!config.authorization().backend().equals("openfga")) {
      System.err.println("floe authz migrate: FLOE_AUTHZ_BACKEND is not openfga: there is no model to write");
      System.exit(2);
    }
    try {
      System.out.println(
          Backends.authorizer(config.authorization().backend()).migrate(config.authorization().openFga()));
    } catch (Exception e) {
      System.err.println("floe authz migrate: " + oneLine(e));
      System.exit(1);
    }
  }

  private static String oneLine(Throwable e) {
    Throwable root = e;
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      message.append(": ").append(root.getMessage());
    }
    return message.toString().replace('\n', ' ');
  }

  private static void help() {
    System.out.println(
        """
        Floe, an Apache Iceberg REST catalog

        usage: floe serve    start the catalog (configuration from FLOE_* environment variables;
                             with no FLOE_DATABASE_URL it runs its own PostgreSQL under FLOE_DATA_DIR)
               floe migrate  bring the database schema to this version's and stop (serve does it too)
               floe config check
                             read the configuration as serve would: errors end with status 2,
                             unknown FLOE_ variables are named
               floe config reference
                             print every setting, its default and meaning (docs/configuration.md)
               floe authz migrate
                             write the authorization model to the OpenFGA store (FLOE_OPENFGA_*),
                             or upgrade it; also done at start when the store lacks it
               floe help     this text
        """);
  }
}
