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
      case "help", "--help", "-h" -> help();
      default -> {
        System.err.println("floe: unknown command '" + command + "'");
        help();
        System.exit(2);
      }
    }
  }

  private static void serve() throws Exception {
    FloeConfig config;
    try {
      config = FloeConfig.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("floe: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
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
               floe help     this text
        """);
  }
}
