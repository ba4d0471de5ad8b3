package io.floe.storage.adls;

import com.azure.storage.common.StorageSharedKeyCredential;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.secrets.Secret;
import io.floe.spi.tenancy.AdlsStorageProfile;
import java.util.Optional;

/** The long-lived credential of an ADLS warehouse: the storage account's shared key. */
final class AdlsSecrets {
  static final String ACCOUNT_KEY = "account-key";

  private AdlsSecrets() {}

  static StorageSharedKeyCredential sharedKey(AdlsStorageProfile profile, Optional<Secret> credential) {
    String key = credential.map(secret -> secret.value(ACCOUNT_KEY)).orElse(null);
    if (key == null) {
      throw new BadRequestException(
          "Invalid ADLS storage credential: needs %s (identities and user-delegation SAS are not supported yet)",
          ACCOUNT_KEY);
    }
    return new StorageSharedKeyCredential(profile.accountName(), key);
  }
}
