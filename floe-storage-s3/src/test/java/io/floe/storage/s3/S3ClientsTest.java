package io.floe.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.spi.secrets.Secret;
import io.floe.storage.s3.S3StorageProfile;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One set of S3 clients per profile and credential, closed when retired and no longer in use. */
class S3ClientsTest {
  private static final S3StorageProfile PROFILE =
      new S3StorageProfile("lake", "wh", "us-east-1", "http://127.0.0.1:1", true, null, null, null, true);

  @Test
  void requestsShareOneSetOfClientsPerProfileAndCredential() {
    try (S3Clients clients = new S3Clients(Duration.ofSeconds(1), Duration.ofSeconds(1));
        S3Clients.Lease a = clients.lease(PROFILE, Optional.empty());
        S3Clients.Lease b = clients.lease(PROFILE, Optional.empty());
        S3Clients.Lease other = clients.lease(PROFILE, Optional.of(credential("AKIAOTHER")))) {
      assertThat(a.sharesClientsWith(b)).isTrue();
      assertThat(a.credentials()).isSameAs(b.credentials());
      assertThat(a.sts()).isSameAs(b.sts());
      assertThat(other.sharesClientsWith(a)).isFalse();
    }
  }

  @Test
  void retiredClientsCloseOnlyOnceTheLastRequestIsDone() {
    S3Clients clients = new S3Clients(Duration.ofSeconds(1), Duration.ofSeconds(1));
    S3Clients.Lease first = clients.lease(PROFILE, Optional.of(credential("AKIAFIRST")));
    S3Clients.Lease second = clients.lease(PROFILE, Optional.of(credential("AKIAFIRST")));
    first.sts();
    clients.close(); // every entry retired, as when evicted
    assertThat(first.closed()).isFalse();
    first.close();
    assertThat(second.closed()).as("still leased by a running request").isFalse();
    assertThat(second.sts()).isNotNull();
    second.close();
    assertThat(second.closed()).isTrue();
    // a request after the retirement gets fresh clients
    try (S3Clients.Lease fresh = clients.lease(PROFILE, Optional.of(credential("AKIAFIRST")))) {
      assertThat(fresh.closed()).isFalse();
      assertThat(fresh.sharesClientsWith(first)).isFalse();
    }
  }

  private static Secret credential(String keyId) {
    return new Secret(java.util.Map.of(S3Secrets.ACCESS_KEY_ID, keyId, S3Secrets.SECRET_ACCESS_KEY, "secret"));
  }
}
