package io.floe.catalog.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.error.BadRequestException;
import org.apache.iceberg.catalog.Namespace;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void acceptsDotsSlashesAndUnicode() {
    assertThat(Names.check("table", "a.b/c-é")).isEqualTo("a.b/c-é");
  }

  @Test
  void refusesEmptyControlAndPathNames() {
    assertThatThrownBy(() -> Names.check("table", "")).isInstanceOf(BadRequestException.class)
        .hasMessage("Invalid table name: must not be empty");
    assertThatThrownBy(() -> Names.check("table", "a\u0001b")).isInstanceOf(BadRequestException.class)
        .hasMessage("Invalid table name: contains control character 0x01");
    assertThatThrownBy(() -> Names.check("namespace", "..")).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> Names.check("table", " padded")).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> Names.check("table", "x".repeat(256))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> Names.check(Namespace.empty())).isInstanceOf(BadRequestException.class);
  }
}
