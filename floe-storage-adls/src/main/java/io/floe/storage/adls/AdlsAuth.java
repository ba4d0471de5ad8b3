package io.floe.storage.adls;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.secrets.Secret;
import io.floe.storage.adls.AdlsStorageProfile;
import java.util.Map;
import java.util.Optional;

/**
 * How Floe authenticates to a storage account: with the account key, or as a Microsoft Entra ID
 * identity (a service principal's client secret, or without a stored secret the server's own
 * identity: managed identity, workload identity or environment). Identities vend user-delegation
 * SAS tokens; the account key signs SAS tokens itself.
 */
sealed interface AdlsAuth {
  String ACCOUNT_KEY = "account-key";
  String TENANT_ID = "tenant-id";
  String CLIENT_ID = "client-id";
  String CLIENT_SECRET = "client-secret";
  String AUTHORITY_HOST = "authority-host";

  /** The account's shared key. */
  record SharedKey(String accountName, String accountKey) implements AdlsAuth {
    StorageSharedKeyCredential credential() {
      return new StorageSharedKeyCredential(accountName, accountKey);
    }

    @Override
    public String toString() {
      return "SharedKey[" + accountName + ", key hidden]";
    }
  }

  /** An Entra ID identity; {@code values} are the stored secret's, empty for the server's own. */
  record Identity(TokenCredential credential, Map<String, String> values) implements AdlsAuth {
    @Override
    public String toString() {
      return "Identity[values hidden]";
    }
  }

  static AdlsAuth of(AdlsStorageProfile profile, Optional<Secret> credential) {
    if (credential.isEmpty()) {
      return new Identity(identity(Map.of()), Map.of());
    }
    Secret secret = credential.get();
    if (secret.value(ACCOUNT_KEY) != null) {
      return new SharedKey(profile.accountName(), secret.value(ACCOUNT_KEY));
    }
    if (secret.value(CLIENT_SECRET) != null) {
      if (secret.value(TENANT_ID) == null || secret.value(CLIENT_ID) == null) {
        throw new BadRequestException(
            "Invalid ADLS storage credential: a client secret needs %s and %s", TENANT_ID, CLIENT_ID);
      }
      return new Identity(identity(secret.values()), secret.values());
    }
    throw new BadRequestException(
        "Invalid ADLS storage credential: needs %s, or %s with %s and %s",
        ACCOUNT_KEY, CLIENT_SECRET, TENANT_ID, CLIENT_ID);
  }

  /** A service principal's credential from its values, or the server's own identity. */
  static TokenCredential identity(Map<String, String> values) {
    String secret = values.get(CLIENT_SECRET);
    if (secret == null) {
      return new DefaultAzureCredentialBuilder().build();
    }
    ClientSecretCredentialBuilder builder =
        new ClientSecretCredentialBuilder()
            .tenantId(values.get(TENANT_ID))
            .clientId(values.get(CLIENT_ID))
            .clientSecret(secret);
    String authority = values.get(AUTHORITY_HOST);
    if (authority != null) {
      // a national or private cloud: its authority is not in Microsoft's public discovery list
      builder.authorityHost(authority).disableInstanceDiscovery();
    }
    return builder.build();
  }
}
