package io.floe.server;

import io.floe.server.config.ConfigException;
import io.floe.server.config.FloeConfig;
import java.lang.management.ManagementFactory;

/** The command line: {@code floe serve} and friends. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "serve" -> serve();
      case "authz" -> authz(args);
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
      return FloeConfig.load(System.getenv());
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
      io.floe.authz.openfga.AuthorizationModels.Migrated migrated =
          io.floe.authz.openfga.OpenFgaAuthorizer.migrate(config.authorization().openFga());
      System.out.println(
          migrated.written()
              ? "authorization model version " + migrated.version() + " written (" + migrated.modelId() + ")"
                  + (migrated.previousVersion() == null ? "" : ", upgraded from version " + migrated.previousVersion())
              : "authorization model version " + migrated.version() + " is current (" + migrated.modelId() + ")");
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
               floe authz migrate
                             write the authorization model to the OpenFGA store (FLOE_OPENFGA_*),
                             or upgrade it; also done at start when the store lacks it
               floe help     this text
        """);
  }
}
