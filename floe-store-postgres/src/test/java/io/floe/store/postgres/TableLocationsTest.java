package io.floe.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableLocationsTest {
  @Test
  void keysHaveOneSpellingPerPlace() {
    assertThat(TableLocations.key("s3://b/w/t")).isEqualTo("s3://b/w/t/");
    assertThat(TableLocations.key("s3a://b/w/t//")).isEqualTo("s3://b/w/t/");
    assertThat(TableLocations.key("file:///data/t")).isEqualTo("file:/data/t/");
    assertThat(TableLocations.key("file:/data/t/")).isEqualTo("file:/data/t/");
  }

  @Test
  void ancestorsRunFromTheRootToTheLocationItself() {
    assertThat(TableLocations.ancestorsAndSelf("s3://bucket/a/b/"))
        .containsExactly("s3://bucket/", "s3://bucket/a/", "s3://bucket/a/b/");
    assertThat(TableLocations.ancestorsAndSelf("file:/data/t/")).containsExactly("file:/", "file:/data/", "file:/data/t/");
    assertThat(TableLocations.ancestorsAndSelf("abfss://fs@acct.dfs.core.windows.net/w/t/"))
        .containsExactly("abfss://fs@acct.dfs.core.windows.net/", "abfss://fs@acct.dfs.core.windows.net/w/",
            "abfss://fs@acct.dfs.core.windows.net/w/t/");
  }
}
