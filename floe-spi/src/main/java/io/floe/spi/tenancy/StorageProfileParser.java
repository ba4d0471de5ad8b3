package io.floe.spi.tenancy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.floe.spi.error.BadRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;
import org.apache.iceberg.util.JsonUtil;

/** The JSON form of a {@link StorageProfile}: an object whose {@code type} picks the kind. */
public final class StorageProfileParser {
  public static final String TYPE = "type";
  public static final String ROOT = "root";
  public static final String BUCKET = "bucket";
  public static final String KEY_PREFIX = "key-prefix";
  public static final String REGION = "region";
  public static final String ENDPOINT = "endpoint";
  public static final String PATH_STYLE_ACCESS = "path-style-access";
  public static final String STS_ENDPOINT = "sts-endpoint";
  public static final String ROLE_ARN = "role-arn";
  public static final String SSE_KMS_KEY_ARN = "sse-kms-key-arn";
  public static final String STS_ENABLED = "sts-enabled";
  public static final String ACCOUNT_NAME = "account-name";
  public static final String FILESYSTEM = "filesystem";
  public static final String HOST = "host";
  public static final String HIERARCHICAL_NAMESPACE = "hierarchical-namespace";
  public static final String SAS_ENABLED = "sas-enabled";
  public static final String SAS_LIFETIME_SECONDS = "sas-lifetime-seconds";
  public static final String PROJECT_ID = "project-id";
  public static final String DOWNSCOPING_ENABLED = "downscoping-enabled";

  private static final Set<String> LOCAL_FIELDS = Set.of(TYPE, ROOT);
  private static final Set<String> S3_FIELDS =
      Set.of(
          TYPE, BUCKET, KEY_PREFIX, REGION, ENDPOINT, PATH_STYLE_ACCESS, STS_ENDPOINT, ROLE_ARN,
          SSE_KMS_KEY_ARN, STS_ENABLED);
  private static final Set<String> ADLS_FIELDS =
      Set.of(
          TYPE, ACCOUNT_NAME, FILESYSTEM, KEY_PREFIX, HOST, ENDPOINT, HIERARCHICAL_NAMESPACE, SAS_ENABLED,
          SAS_LIFETIME_SECONDS);
  private static final Set<String> GCS_FIELDS =
      Set.of(TYPE, BUCKET, KEY_PREFIX, PROJECT_ID, ENDPOINT, DOWNSCOPING_ENABLED);

  private StorageProfileParser() {}

  public static String toJson(StorageProfile profile) {
    return JsonUtil.generate(generator -> toJson(profile, generator), false);
  }

  public static void toJson(StorageProfile profile, JsonGenerator generator) throws IOException {
    generator.writeStartObject();
    generator.writeStringField(TYPE, profile.type());
    switch (profile) {
      case LocalStorageProfile local -> generator.writeStringField(ROOT, local.root());
      case S3StorageProfile s3 -> {
        generator.writeStringField(BUCKET, s3.bucket());
        generator.writeStringField(KEY_PREFIX, s3.keyPrefix());
        generator.writeStringField(REGION, s3.region());
        writeOptional(generator, ENDPOINT, s3.endpoint());
        generator.writeBooleanField(PATH_STYLE_ACCESS, s3.pathStyleAccess());
        writeOptional(generator, STS_ENDPOINT, s3.stsEndpoint());
        writeOptional(generator, ROLE_ARN, s3.roleArn());
        writeOptional(generator, SSE_KMS_KEY_ARN, s3.sseKmsKeyArn());
        generator.writeBooleanField(STS_ENABLED, s3.stsEnabled());
      }
      case AdlsStorageProfile adls -> {
        generator.writeStringField(ACCOUNT_NAME, adls.accountName());
        generator.writeStringField(FILESYSTEM, adls.filesystem());
        generator.writeStringField(KEY_PREFIX, adls.keyPrefix());
        generator.writeStringField(HOST, adls.host());
        writeOptional(generator, ENDPOINT, adls.endpoint());
        generator.writeBooleanField(HIERARCHICAL_NAMESPACE, adls.hierarchicalNamespace());
        generator.writeBooleanField(SAS_ENABLED, adls.sasEnabled());
        if (adls.sasLifetime() != null) {
          generator.writeNumberField(SAS_LIFETIME_SECONDS, adls.sasLifetime().toSeconds());
        }
      }
      case GcsStorageProfile gcs -> {
        generator.writeStringField(BUCKET, gcs.bucket());
        generator.writeStringField(KEY_PREFIX, gcs.keyPrefix());
        writeOptional(generator, PROJECT_ID, gcs.projectId());
        writeOptional(generator, ENDPOINT, gcs.endpoint());
        generator.writeBooleanField(DOWNSCOPING_ENABLED, gcs.downscopingEnabled());
      }
    }
    generator.writeEndObject();
  }

  public static StorageProfile fromJson(String json) {
    try {
      return fromJson(JsonUtil.mapper().readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a storage profile. Unknown fields are refused, so that a misspelt setting is not
   * silently ignored.
   *
   * @throws BadRequestException if the JSON is not a valid profile
   */
  public static StorageProfile fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new BadRequestException("Invalid storage profile: must be an object");
    }
    String type = text(json, TYPE);
    return switch (type) {
      case LocalStorageProfile.TYPE -> {
        checkFields(json, LOCAL_FIELDS);
        yield new LocalStorageProfile(text(json, ROOT));
      }
      case S3StorageProfile.TYPE -> {
        checkFields(json, S3_FIELDS);
        yield new S3StorageProfile(
            text(json, BUCKET),
            optionalText(json, KEY_PREFIX),
            text(json, REGION),
            optionalText(json, ENDPOINT),
            bool(json, PATH_STYLE_ACCESS, false),
            optionalText(json, STS_ENDPOINT),
            optionalText(json, ROLE_ARN),
            optionalText(json, SSE_KMS_KEY_ARN),
            bool(json, STS_ENABLED, true));
      }
      case AdlsStorageProfile.TYPE -> {
        checkFields(json, ADLS_FIELDS);
        Long lifetime = optionalLong(json, SAS_LIFETIME_SECONDS);
        yield new AdlsStorageProfile(
            text(json, ACCOUNT_NAME),
            text(json, FILESYSTEM),
            optionalText(json, KEY_PREFIX),
            optionalText(json, HOST),
            optionalText(json, ENDPOINT),
            bool(json, HIERARCHICAL_NAMESPACE, true),
            bool(json, SAS_ENABLED, true),
            lifetime == null ? null : java.time.Duration.ofSeconds(lifetime));
      }
      case GcsStorageProfile.TYPE -> {
        checkFields(json, GCS_FIELDS);
        yield new GcsStorageProfile(
            text(json, BUCKET),
            optionalText(json, KEY_PREFIX),
            optionalText(json, PROJECT_ID),
            optionalText(json, ENDPOINT),
            bool(json, DOWNSCOPING_ENABLED, true));
      }
      default -> throw new BadRequestException("Invalid storage profile: unknown type %s", type);
    };
  }

  private static void writeOptional(JsonGenerator generator, String field, String value) throws IOException {
    if (value != null) {
      generator.writeStringField(field, value);
    }
  }

  private static void checkFields(JsonNode json, Set<String> known) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new BadRequestException(
            "Invalid storage profile: unknown field %s for type %s", name, json.get(TYPE).asText());
      }
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new BadRequestException("Invalid storage profile: missing string field %s", field);
    }
    return value.asText();
  }

  private static String optionalText(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadRequestException("Invalid storage profile: %s must be a string", field);
    }
    return value.asText();
  }

  private static Long optionalLong(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new BadRequestException("Invalid storage profile: %s must be an integer", field);
    }
    return value.asLong();
  }

  private static boolean bool(JsonNode json, String field, boolean defaultValue) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw new BadRequestException("Invalid storage profile: %s must be true or false", field);
    }
    return value.asBoolean();
  }
}
