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
 * {@code slf4j.provider} system property, so that neither SLF4J nor logback searches the class
 * path for providers and configurators, and logback's auto-configuration (version checks, the
 * search for configuration files) never loads: half a megabyte less for an idle server. Without
 * the property (tests, {@code bin/floe}), logback's own provider finds {@link LogSetup} as a
 * configurator, to the same effect.
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
