package io.floe.storage.adls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import com.azure.storage.file.datalake.models.UserDelegationKey;
import com.azure.storage.file.datalake.sas.DataLakeServiceSasSignatureValues;
import com.azure.storage.file.datalake.sas.PathSasPermission;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.storage.AccessLevel;
import io.floe.spi.storage.VendedCredentials;
import io.floe.storage.adls.AdlsStorageProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The exact scope and permissions of the SAS tokens Floe vends. Azurite cannot check a directory
 * SAS (it knows container and blob SAS only), so the token is checked here: its fields, and that
 * its signature is the one the Azure SDK computes for the table's directory and for no other.
 */
class AdlsCredentialVendorTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[64]);
  private static final Optional<Secret> SECRET = Optional.of(new Secret(Map.of("account-key", KEY)));
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  // a client that signs with a user-delegation key needs an identity, though it never calls out here
  private static final com.azure.core.credential.TokenCredential UNUSED_TOKEN =
      request -> reactor.core.publisher.Mono.just(new com.azure.core.credential.AccessToken("unused", OffsetDateTime.MAX));
  private static final AdlsStorageProfile HNS =
      new AdlsStorageProfile("lakeacct", "warehouse", "wh", null, null, true, true, null);
  private final AdlsCredentialVendor vendor = new AdlsCredentialVendor(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void readersGetADirectorySasForTheTableWithReadAndList() {
    VendedCredentials vended = vend(HNS, "abfss://warehouse@lakeacct.dfs.core.windows.net/wh/ns/t", AccessLevel.READ);
    Map<String, String> sas = query(vended.config().get("adls.sas-token.lakeacct.dfs.core.windows.net"));
    assertThat(sas).containsEntry("sr", "d").containsEntry("sdd", "3").containsEntry("sp", "rl")
        .containsEntry("se", "2026-11-29T13:00:00Z").containsKey("sig").containsKey("sv");
    assertThat(vended.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(vended.config()).containsEntry("adls.sas-token-expires-at-ms.lakeacct.dfs.core.windows.net",
        Long.toString(NOW.plus(Duration.ofHours(1)).toEpochMilli()));
    assertThat(vended.refreshEndpointProperty()).isEqualTo("adls.refresh-credentials-endpoint");
    assertThat(vended.config().values()).noneMatch(value -> value.contains(KEY));

    // the signature covers exactly the table's directory
    assertThat(sas.get("sig")).isEqualTo(expectedSignature("wh/ns/t", sas.get("sv"), "rl"));
    assertThat(sas.get("sig")).isNotEqualTo(expectedSignature("wh/ns", sas.get("sv"), "rl"));
    assertThat(sas.get("sig")).isNotEqualTo(expectedSignature("wh/ns/t2", sas.get("sv"), "rl"));
  }

  @Test
  void writersAlsoGetWriteCreateAddAndDelete() {
    VendedCredentials vended =
        vend(HNS, "abfss://warehouse@lakeacct.dfs.core.windows.net/wh/ns/t", AccessLevel.READ_WRITE);
    Map<String, String> sas = query(vended.config().get("adls.sas-token"));
    assertThat(sas).containsEntry("sr", "d").containsEntry("sp", "racwdl");
    assertThat(sas.get("sig")).isEqualTo(expectedSignature("wh/ns/t", sas.get("sv"), "racwdl"));
  }

  @Test
  void flatAccountsGetAFilesystemSasAndOtherFilesystemsNone() {
    AdlsStorageProfile flat =
        new AdlsStorageProfile("lakeacct", "warehouse", "wh", null, "http://127.0.0.1:10000/lakeacct", false, true, null);
    VendedCredentials vended = vend(flat, "abfss://warehouse@lakeacct.dfs.core.windows.net/wh/ns/t", AccessLevel.READ);
    assertThat(query(vended.config().get("adls.sas-token"))).containsEntry("sr", "c").containsEntry("sp", "rl");
    assertThat(vended.config())
        .containsEntry("adls.connection-string.lakeacct.dfs.core.windows.net", "http://127.0.0.1:10000/lakeacct");
    assertThatThrownBy(() -> vend(HNS, "abfss://other@lakeacct.dfs.core.windows.net/wh/ns/t", AccessLevel.READ))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void identitiesGetAUserDelegationSasForTheTableDirectory() {
    UserDelegationKey key =
        new UserDelegationKey()
            .setSignedObjectId("6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
            .setSignedTenantId("3f2a8c51-6d0e-4b7a-9c1d-2e5f7a9b0c3d")
            .setSignedStart(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC))
            .setSignedExpiry(OffsetDateTime.ofInstant(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC))
            .setSignedService("b")
            .setSignedVersion("2025-11-05")
            .setValue(KEY);
    Instant expiresAt = NOW.plus(Duration.ofHours(1));
    String sas =
        AdlsCredentialVendor.sas(
            HNS, new DataLakeServiceClientBuilder().endpoint("https://lakeacct.dfs.core.windows.net").credential(UNUSED_TOKEN),
            AdlsLocation.parse("abfss://warehouse@lakeacct.dfs.core.windows.net/wh/ns/t"), AccessLevel.READ_WRITE,
            expiresAt, key);
    Map<String, String> fields = query(sas);
    assertThat(fields).containsEntry("sr", "d").containsEntry("sdd", "3").containsEntry("sp", "racwdl")
        .containsEntry("skoid", key.getSignedObjectId()).containsEntry("sktid", key.getSignedTenantId())
        .containsEntry("se", "2026-11-29T13:00:00Z");
    assertThat(fields.get("sig")).isEqualTo(userDelegationSignature(key, "wh/ns/t", fields.get("sv")));
    assertThat(fields.get("sig")).isNotEqualTo(userDelegationSignature(key, "wh/ns", fields.get("sv")));
  }

  private static String userDelegationSignature(UserDelegationKey key, String directory, String version) {
    DataLakeServiceSasSignatureValues values =
        new DataLakeServiceSasSignatureValues(
                OffsetDateTime.ofInstant(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC), PathSasPermission.parse("racwdl"))
            .setVersion(version);
    return query(
            new DataLakeServiceClientBuilder()
                .endpoint("https://lakeacct.dfs.core.windows.net")
                .credential(UNUSED_TOKEN)
                .buildClient()
                .getFileSystemClient("warehouse")
                .getDirectoryClient(directory)
                .generateUserDelegationSas(values, key))
        .get("sig");
  }

  private VendedCredentials vend(AdlsStorageProfile profile, String location, AccessLevel access) {
    return vendor.vend(profile, SECRET, List.of(location), access, Duration.ofHours(1));
  }

  private static String expectedSignature(String directory, String version, String permissions) {
    PathSasPermission permission = PathSasPermission.parse(permissions);
    DataLakeServiceSasSignatureValues values =
        new DataLakeServiceSasSignatureValues(OffsetDateTime.ofInstant(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC), permission)
            .setVersion(version);
    String sas =
        new DataLakeServiceClientBuilder()
            .endpoint("https://lakeacct.dfs.core.windows.net")
            .credential(new StorageSharedKeyCredential("lakeacct", KEY))
            .buildClient()
            .getFileSystemClient("warehouse")
            .getDirectoryClient(directory)
            .generateSas(values);
    return query(sas).get("sig");
  }

  private static Map<String, String> query(String sas) {
    Map<String, String> parameters = new HashMap<>();
    for (String pair : sas.split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(pair.substring(0, equals), java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return parameters;
  }
}
