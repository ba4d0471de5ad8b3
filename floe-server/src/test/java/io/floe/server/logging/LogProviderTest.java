package io.floe.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The provider the distribution names in {@code slf4j.provider} sets logback up as logback's own would. */
class LogProviderTest {
  @Test
  void configuresLogbackWithFloesSetup() {
    LogProvider provider = new LogProvider();
    provider.initialize();
    LoggerContext context = (LoggerContext) provider.getLoggerFactory();
    assertThat(context.isStarted()).isTrue();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender("console")).isInstanceOf(ConsoleAppender.class);
    assertThat(((ConsoleAppender<?>) root.getAppender("console")).getEncoder()).isInstanceOf(TextEncoder.class);
    assertThat(context.getLogger("org.eclipse.jetty").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(provider.getMarkerFactory().getMarker("m").getName()).isEqualTo("m");
    assertThat(provider.getRequestedApiVersion()).startsWith("2.0");

    provider.getMDCAdapter().put("request-id", "r1");
    assertThat(provider.getMDCAdapter().get("request-id")).isEqualTo("r1");
    assertThat(context.getMDCAdapter()).isSameAs(provider.getMDCAdapter());
    provider.getMDCAdapter().clear();
    context.stop();
  }

  @Test
  void theTestsUseTheSameSetupThroughLogbacksOwnProvider() {
    // without slf4j.provider, logback finds LogSetup through META-INF/services
    assertThat(MDC.getMDCAdapter()).isNotNull();
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("console")).isNotNull();
  }
}
