package io.floe.authz.openfga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.Relation;
import io.floe.spi.error.BadRequestException;
import org.junit.jupiter.api.Test;

class FgaNamesTest {
  @Test
  void principalIdsThatOpenFgaRefusesAreEncodedAndComeBack() {
    for (String id : new String[] {"kubernetes~team-a:spark", "oidc~a b#c", "oidc~ü%41", "oidc~*", "oidc~x@y.z"}) {
      String subject = FgaNames.subject(new Assignment(id, Relation.SELECT));
      assertThat(subject.substring(5)).doesNotContain(":", "#", " ", "*");
      assertThat(FgaNames.principal(subject)).isEqualTo(id);
    }
    assertThat(FgaNames.subject(new Assignment("role:3f2a", Relation.SELECT))).isEqualTo("role:3f2a#assignee");
    assertThat(FgaNames.principal("role:3f2a#assignee")).isEqualTo("role:3f2a");
    assertThatThrownBy(() -> FgaNames.subject(new Assignment("role:", Relation.SELECT))).isInstanceOf(BadRequestException.class);
  }
}
