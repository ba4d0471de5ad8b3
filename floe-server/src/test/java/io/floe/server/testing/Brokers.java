package io.floe.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The message brokers of the event tests, started by the tests themselves (they stop and start
 * them again) from what the test command built: a NATS server with JetStream
 * ({@code FLOE_TEST_NATS_SERVER}, its binary) and a Kafka broker in KRaft mode
 * ({@code FLOE_TEST_KAFKA_CLASSPATH}, its jars). Each listens on loopback on one port for its
 * life, keeps its data across restarts, and is stopped by its process.
 */
public final class Brokers {
  private Brokers() {}

  /** A broker process that can be stopped and started again on the same port and data. */
  public abstract static class Broker implements AutoCloseable {
    protected final Path dir;
    protected final int port;
    private Process process;

    Broker(Path dir) throws IOException {
      this.dir = dir;
      this.port = freePort();
    }

    protected abstract List<String> command() throws IOException;

    /** Starts the broker and waits until it takes connections. */
    public void start() throws Exception {
      process =
          new ProcessBuilder(command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
              .start();
      Process started = process;
      // a test JVM that ends without closing the broker still stops it
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("broker exited: " + Files.readString(dir.resolve("broker.log")));
        }
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
          ready();
          return;
        } catch (IOException e) {
          Thread.sleep(100);
        }
      }
      throw new IllegalStateException("broker did not start: " + Files.readString(dir.resolve("broker.log")));
    }

    /** Waits until the broker serves, once its port is open. */
    protected void ready() throws Exception {}

    /** Stops the broker (SIGTERM) and waits for it. */
    public void stop() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  /** NATS with JetStream; {@link #url()} is its client URL. */
  public static final class Nats extends Broker {
    private final String binary;

    public Nats(Path dir) throws IOException {
      super(dir);
      this.binary = required("FLOE_TEST_NATS_SERVER");
    }

    public String url() {
      return "nats://127.0.0.1:" + port;
    }

    @Override
    protected List<String> command() {
      return List.of(binary, "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd", dir.resolve("jetstream").toString());
    }
  }

  /** Kafka in KRaft mode, one node as broker and controller; {@link #bootstrap()} is its address. */
  public static final class Kafka extends Broker {
    private final String classpath;
    private final int controller;
    private boolean formatted;

    public Kafka(Path dir) throws IOException {
      super(dir);
      this.classpath = Files.readString(Path.of(required("FLOE_TEST_KAFKA_CLASSPATH"))).trim();
      this.controller = freePort();
    }

    public String bootstrap() {
      return "127.0.0.1:" + port;
    }

    @Override
    protected List<String> command() throws IOException {
      Path properties = dir.resolve("server.properties");
      if (!formatted) {
        Files.writeString(
            properties,
            String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=4",
                ""));
        Process format =
            new ProcessBuilder(
                    java(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                    "-t", org.apache.kafka.common.Uuid.randomUuid().toString(), "-c", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile())
                .start();
        try {
          if (format.waitFor() != 0) {
            throw new IOException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        formatted = true;
      }
      return List.of(java(), "-Xms64m", "-Xmx384m", "-cp", classpath, "kafka.Kafka", properties.toString());
    }

    private static String java() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }

  private static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set (the test command sets it)");
    }
    return value;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
