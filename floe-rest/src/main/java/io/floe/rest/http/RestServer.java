package io.floe.rest.http;

import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty: a few platform threads for I/O, which also answer reads from memory, and a virtual thread
 * for any other request (see RestHandler).
 */
public final class RestServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  /**
   * @param drainTimeout at stop, how long requests in flight may take to finish; the port is
   *     closed at once, and requests that arrive on open connections meanwhile get 503
   */
  public RestServer(String host, int port, RestHandler handler, java.time.Duration drainTimeout) {
    // Jetty would start the platform MBean server (a tenth of Floe's start) only to learn how
    // many references fill a cache line, for padding a queue: 64 bytes of 4-byte references
    System.getProperties().putIfAbsent("org.eclipse.jetty.util.referencesPerCacheLine", "16");
    // one selector per two CPUs, as reads that memory answers run on them; the platform pool
    // holds them, the acceptor, and room for Jetty's own tasks
    int selectors = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, selectors + 9), 2);
    threads.setName("floe-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    // namespaces travel percent-encoded with 0x1F separators; the router decodes segments itself
    http.setUriCompliance(UriCompliance.UNSAFE);
    connector = new ServerConnector(server, 1, selectors, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    GracefulHandler graceful = new GracefulHandler();
    graceful.setHandler(handler);
    server.setHandler(graceful);
    server.setErrorHandler(new IcebergErrorHandler(Json.mapper()));
    server.setStopTimeout(drainTimeout.toMillis());
  }

  public void start() throws Exception {
    server.start();
  }

  /** The port actually bound, useful when 0 was asked for. */
  public int port() {
    return connector.getLocalPort();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
