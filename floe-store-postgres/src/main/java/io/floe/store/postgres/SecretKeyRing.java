package io.floe.store.postgres;

import io.floe.spi.error.UnavailableException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that encrypt secrets at rest, by version. New secrets use the current version;
 * older versions stay readable until every secret has been re-encrypted, which is what makes a
 * rotation possible without downtime. Encryption is AES-256-GCM with the secret's id as
 * associated data, so a ciphertext copied onto another row does not decrypt.
 */
public final class SecretKeyRing {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<Integer, SecretKeySpec> keys;
  private final int current;

  /** An encrypted value and the key version that encrypted it. */
  record Sealed(int keyVersion, byte[] nonce, byte[] ciphertext) {}

  private SecretKeyRing(Map<Integer, SecretKeySpec> keys, int current) {
    this.keys = Map.copyOf(keys);
    this.current = current;
  }

  /**
   * Parses {@code VERSION:BASE64,VERSION:BASE64...} (each key 32 bytes); the current version is
   * {@code currentVersion}, or the highest when null.
   *
   * @throws IllegalArgumentException with a message that names the bad entry, never a key
   */
  public static SecretKeyRing parse(String text, Integer currentVersion) {
    Map<Integer, SecretKeySpec> keys = new TreeMap<>();
    for (String entry : text.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("secret key entries must look like VERSION:BASE64");
      }
      int version;
      try {
        version = Integer.parseInt(trimmed.substring(0, colon));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("secret key version is not a number: " + trimmed.substring(0, colon));
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(trimmed.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("secret key version " + version + " is not valid base64");
      }
      if (key.length != 32) {
        throw new IllegalArgumentException("secret key version " + version + " must be 32 bytes, got " + key.length);
      }
      if (keys.put(version, new SecretKeySpec(key, "AES")) != null) {
        throw new IllegalArgumentException("secret key version " + version + " is given twice");
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no secret key given");
    }
    int chosen = currentVersion != null ? currentVersion : ((TreeMap<Integer, SecretKeySpec>) keys).lastKey();
    if (!keys.containsKey(chosen)) {
      throw new IllegalArgumentException("the current secret key version " + chosen + " is not among the keys");
    }
    return new SecretKeyRing(keys, chosen);
  }

  /** A fresh random key in the form {@link #parse} reads, for a first start. */
  public static String generate(int version) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return version + ":" + Base64.getEncoder().encodeToString(key);
  }

  public int currentVersion() {
    return current;
  }

  Sealed seal(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      return new Sealed(current, nonce, cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new UnavailableException(e, "Cannot encrypt a secret: %s", e.getClass().getSimpleName());
    }
  }

  byte[] open(Sealed sealed, byte[] associatedData) {
    SecretKeySpec key = keys.get(sealed.keyVersion());
    if (key == null) {
      throw new UnavailableException(
          "Cannot decrypt a secret: key version %d is not configured (FLOE_SECRET_KEYS)", sealed.keyVersion());
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed.ciphertext());
    } catch (GeneralSecurityException e) {
      throw new UnavailableException(
          "Cannot decrypt a secret with key version %d: it was altered or the key is wrong", sealed.keyVersion());
    }
  }

  @Override
  public String toString() {
    return "SecretKeyRing[versions=" + keys.keySet() + ", current=" + current + "]";
  }
}
