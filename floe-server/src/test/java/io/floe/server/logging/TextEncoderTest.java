package io.floe.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextEncoderTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("io.floe.example.Thing");

  @Test
  void aLineHasTheTimeTheLevelTheLoggerAndTheFormattedMessage() {
    String line = encode(new LoggingEvent("x", logger, Level.WARN, "created {} in {}", null, new Object[] {"t", "ns"}));
    assertThat(line).matches(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\[WARN] io\\.floe\\.example\\.Thing - created t in ns"
            + System.lineSeparator());
  }

  @Test
  void anExceptionFollowsWithItsStackTraceAndCauses() {
    Exception thrown = new IllegalStateException("outer", new java.io.IOException("inner"));
    String text = encode(new LoggingEvent("x", logger, Level.ERROR, "failed", thrown, null));
    assertThat(text)
        .contains("[ERROR] io.floe.example.Thing - failed" + System.lineSeparator() + "java.lang.IllegalStateException: outer")
        .contains("\tat io.floe.server.logging.TextEncoderTest.anExceptionFollowsWithItsStackTraceAndCauses")
        .contains("Caused by: java.io.IOException: inner")
        .endsWith(System.lineSeparator())
        .doesNotEndWith(System.lineSeparator() + System.lineSeparator());
  }

  private String encode(LoggingEvent event) {
    TextEncoder encoder = new TextEncoder();
    encoder.setContext(context);
    encoder.start();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
