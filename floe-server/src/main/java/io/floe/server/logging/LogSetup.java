package io.floe.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Logging, configured in code (called by {@link LogProvider} in the distribution, found by
 * logback through {@code META-INF/services} elsewhere): no file to look for or parse at start. Text by default; {@link #useJson()} switches to one JSON object per
 * line once the configuration asks for it.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  private static final String APPENDER = "console";
  /** Libraries that say too much at info. */
  private static final Map<String, Level> LEVELS =
      Map.of(
          "com.zaxxer.hikari", Level.WARN,
          "org.flywaydb", Level.WARN,
          "org.eclipse.jetty", Level.WARN,
          "org.apache.iceberg", Level.WARN,
          // the JDK client sets Content-Length itself; the Azure SDK warns on every request that it cannot
          "com.azure.core.http.jdk.httpclient.JdkHttpClient", Level.ERROR,
          // without Hadoop, Iceberg's FileIOs say once per instance that they fall back to no metrics
          "org.apache.iceberg.azure.adlsv2.ADLSFileIO", Level.ERROR,
          // the Kafka client logs its whole configuration at info, for every producer
          "org.apache.kafka", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    root.addAppender(appender(context, text(context)));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** From now on, each log line is a JSON object: time, level, logger, message, request id (MDC), exception. */
  public static void useJson() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithThreadName(false);
    json.setWithArguments(false);
    json.setWithMessage(false);
    json.setWithFormattedMessage(true);
    json.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> text = root.getAppender(APPENDER);
    // at start, before the server runs: nothing else logs between these two lines
    root.detachAppender(APPENDER);
    root.addAppender(appender(context, json));
    if (text != null) {
      text.stop();
    }
  }

  /** Sets loggers' levels ({@code root} is every logger's), over the defaults. */
  public static void levels(Map<String, String> levels) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    levels.forEach(
        (name, level) ->
            context
                .getLogger(name.equalsIgnoreCase("root") ? org.slf4j.Logger.ROOT_LOGGER_NAME : name)
                .setLevel(Level.toLevel(level, Level.INFO)));
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    TextEncoder text = new TextEncoder();
    text.setContext(context);
    text.start();
    return text;
  }

  private static ConsoleAppender<ILoggingEvent> appender(LoggerContext context, Encoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
