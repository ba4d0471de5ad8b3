package io.floe.storage.adls;

import com.azure.core.credential.TokenCredential;
import java.util.Map;
import org.apache.iceberg.azure.AdlsTokenCredentialProvider;

/**
 * Gives Iceberg's ADLSFileIO the warehouse's Entra ID identity: ADLSFileIO loads this class by
 * name and hands it the {@code adls.token-credential-provider.*} properties.
 */
public final class EntraTokenCredentialProvider implements AdlsTokenCredentialProvider {
  private TokenCredential credential;

  @Override
  public void initialize(Map<String, String> properties) {
    this.credential = AdlsAuth.identity(properties);
  }

  @Override
  public TokenCredential credential() {
    return credential;
  }
}
