package io.floe.storage.gcs;

import com.google.api.client.http.HttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.GoogleCredentials;
import io.floe.spi.error.BadRequestException;
import io.floe.spi.secrets.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The long-lived credential of a GCS warehouse: a service account key (its JSON file) kept in the
 * secret store. Without one, Floe uses the application default credentials.
 */
final class GcsSecrets {
  static final String SERVICE_ACCOUNT_KEY = "service-account-key";
  static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/devstorage.read_write");

  private GcsSecrets() {}

  static GoogleCredentials source(Optional<Secret> credential, HttpTransportFactory transport) {
    try {
      if (credential.isEmpty()) {
        return GoogleCredentials.getApplicationDefault(transport).createScoped(SCOPES);
      }
      String key = credential.get().value(SERVICE_ACCOUNT_KEY);
      if (key == null) {
        throw new BadRequestException("Invalid GCS storage credential: needs %s (the key's JSON)", SERVICE_ACCOUNT_KEY);
      }
      return GoogleCredentials.fromStream(new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)), transport)
          .createScoped(SCOPES);
    } catch (IOException e) {
      throw new BadRequestException("Invalid GCS storage credential: %s", e.getMessage());
    }
  }

  /** The transport Google's libraries use by default. */
  static HttpTransportFactory defaultTransport() {
    HttpTransport transport = new com.google.api.client.http.javanet.NetHttpTransport();
    return () -> transport;
  }
}
