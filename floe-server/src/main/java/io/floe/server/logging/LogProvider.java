package io.floe.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Logback, configured by {@link LogSetup} directly. The distribution names this provider in the
 * {@code slf4j.provider} system property: SLF4J then looks for no provider, and logback for no
 * configurator, through {@code ServiceLoader}; each such look opens every jar on the class path,
 * and the JDK keeps each opened jar's index on the heap (2 MB for Floe's).
 */
public final class LogProvider implements SLF4JServiceProvider {
  private final LoggerContext context = new LoggerContext();
  private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();
  private final IMarkerFactory markers = new BasicMarkerFactory();

  @Override
  public void initialize() {
    context.setName("default");
    context.setMDCAdapter(mdc);
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    setup.configure(context);
    context.start();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return context;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }
}
