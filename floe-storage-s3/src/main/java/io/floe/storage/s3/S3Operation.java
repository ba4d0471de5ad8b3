package io.floe.storage.s3;

import io.floe.spi.error.BadRequestException;
import io.floe.spi.error.ForbiddenException;
import io.floe.spi.storage.AccessLevel;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The S3 operation an HTTP request stands for, decided from its method, path and query, never
 * from the method alone: a POST may be a multipart upload or a DeleteObjects whose keys are in the
 * body. Each operation names the keys (or, for a listing, the prefix) it touches and the access
 * level it needs.
 *
 * @param name the S3 API name, e.g. {@code GetObject}
 * @param keys the object keys the request touches; for ListObjectsV2, its prefix
 */
record S3Operation(String name, String bucket, List<String> keys, AccessLevel needs) {
  /**
   * Classifies a request addressed to {@code bucket}, by virtual host (the bucket is in the host
   * name, which the caller has checked) or by path (the bucket is the first path segment).
   *
   * @throws ForbiddenException for an operation Floe does not sign
   */
  static S3Operation of(String method, URI uri, String bucket, boolean virtualHosted, String body) {
    String key = objectKey(uri, bucket, virtualHosted);
    Map<String, String> query = query(uri.getRawQuery());
    String verb = method.toUpperCase(Locale.ROOT);
    if (key.isEmpty()) {
      return bucketOperation(verb, query, bucket, body);
    }
    for (String forbidden : List.of("acl", "tagging", "policy", "legal-hold", "retention", "restore", "select")) {
      if (query.containsKey(forbidden)) {
        throw new ForbiddenException("Cannot sign request: the %s subresource is not allowed", forbidden);
      }
    }
    return switch (verb) {
      case "GET" ->
          query.containsKey("uploadId")
              ? new S3Operation("ListParts", bucket, List.of(key), AccessLevel.READ_WRITE)
              : new S3Operation("GetObject", bucket, List.of(key), AccessLevel.READ);
      case "HEAD" -> new S3Operation("HeadObject", bucket, List.of(key), AccessLevel.READ);
      case "PUT" ->
          query.containsKey("uploadId")
              ? new S3Operation("UploadPart", bucket, List.of(key), AccessLevel.READ_WRITE)
              : new S3Operation("PutObject", bucket, List.of(key), AccessLevel.READ_WRITE);
      case "POST" -> {
        if (query.containsKey("uploads")) {
          yield new S3Operation("CreateMultipartUpload", bucket, List.of(key), AccessLevel.READ_WRITE);
        }
        if (query.containsKey("uploadId")) {
          yield new S3Operation("CompleteMultipartUpload", bucket, List.of(key), AccessLevel.READ_WRITE);
        }
        throw new ForbiddenException("Cannot sign request: unknown S3 operation POST on an object");
      }
      case "DELETE" ->
          query.containsKey("uploadId")
              ? new S3Operation("AbortMultipartUpload", bucket, List.of(key), AccessLevel.READ_WRITE)
              : new S3Operation("DeleteObject", bucket, List.of(key), AccessLevel.READ_WRITE);
      default -> throw new ForbiddenException("Cannot sign request: unknown S3 operation %s", verb);
    };
  }

  private static S3Operation bucketOperation(
      String verb, Map<String, String> query, String bucket, String body) {
    if (verb.equals("GET") && "2".equals(query.get("list-type"))) {
      return new S3Operation(
          "ListObjectsV2", bucket, List.of(checkSegments(query.getOrDefault("prefix", ""))), AccessLevel.READ);
    }
    if (verb.equals("POST") && query.containsKey("delete")) {
      if (body == null || body.isBlank()) {
        throw new ForbiddenException("Cannot sign request: DeleteObjects without its body, whose keys must be checked");
      }
      return new S3Operation("DeleteObjects", bucket, deletedKeys(body), AccessLevel.READ_WRITE);
    }
    throw new ForbiddenException(
        "Cannot sign request: %s on the bucket %s is not an operation on the table's files", verb, bucket);
  }

  /** The object key, whether the bucket is in the path or in the host name. */
  private static String objectKey(URI uri, String bucket, boolean virtualHosted) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String key;
    if (virtualHosted) {
      key = path.startsWith("/") ? path.substring(1) : path;
    } else if (path.equals("/" + bucket) || path.startsWith("/" + bucket + "/")) {
      key = path.substring(bucket.length() + 1);
      key = key.startsWith("/") ? key.substring(1) : key;
    } else {
      throw new ForbiddenException("Cannot sign request: %s is not in the warehouse's bucket %s", uri, bucket);
    }
    return checkSegments(decode(key));
  }

  /**
   * Refuses keys with ".", ".." or empty segments: S3 keeps them literally, but an S3-compatible
   * store that cleans paths would resolve them outside the table.
   */
  static String checkSegments(String key) {
    String[] segments = key.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      boolean last = i == segments.length - 1;
      if (segments[i].equals(".") || segments[i].equals("..") || (segments[i].isEmpty() && !last && key.length() > 0)) {
        throw new ForbiddenException("Cannot sign request: the key %s has an empty, '.' or '..' segment", key);
      }
    }
    return key;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (parameters.put(name, value) != null) {
        throw new ForbiddenException("Cannot sign request: the query parameter %s appears twice", name);
      }
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid S3 request: bad percent-encoding in %s", text);
    }
  }

  /** The keys of a DeleteObjects body; DTDs and external entities are refused. */
  static List<String> deletedKeys(String body) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      factory.setNamespaceAware(true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      Document document = builder.parse(new InputSource(new StringReader(body)));
      NodeList objects = document.getElementsByTagNameNS("*", "Object");
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < objects.getLength(); i++) {
        NodeList key = ((org.w3c.dom.Element) objects.item(i)).getElementsByTagNameNS("*", "Key");
        if (key.getLength() != 1) {
          throw new ForbiddenException("Cannot sign request: a DeleteObjects entry without exactly one key");
        }
        keys.add(checkSegments(key.item(0).getTextContent()));
      }
      if (keys.isEmpty()) {
        throw new ForbiddenException("Cannot sign request: DeleteObjects names no key");
      }
      return List.copyOf(keys);
    } catch (ForbiddenException e) {
      throw e;
    } catch (Exception e) {
      throw new BadRequestException("Invalid DeleteObjects body: %s", e.getMessage());
    }
  }
}
