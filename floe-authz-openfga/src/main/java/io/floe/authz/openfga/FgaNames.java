package io.floe.authz.openfga;

import io.floe.spi.authz.Assignment;
import io.floe.spi.authz.ObjectRef;
import io.floe.spi.authz.ObjectType;
import io.floe.spi.error.BadRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How Floe's principals and objects are written in OpenFGA. Principal ids may hold characters
 * OpenFGA refuses in ids (':' in Kubernetes names, '#', spaces), so they are percent-encoded.
 */
final class FgaNames {
  private FgaNames() {}

  static String object(ObjectRef ref) {
    return ref.type().text() + ":" + encode(ref.id());
  }

  static String user(String principalId) {
    return "user:" + encode(principalId);
  }

  /** The OpenFGA subject of an assignment: a user, or every assignee of a role. */
  static String subject(Assignment assignment) {
    if (assignment.toRole()) {
      String role = assignment.principal().substring(Assignment.ROLE_PREFIX.length());
      if (role.isEmpty()) {
        throw new BadRequestException("Invalid principal %s: a role is role:<id>", assignment.principal());
      }
      return "role:" + encode(role) + "#assignee";
    }
    if (assignment.principal().isEmpty()) {
      throw new BadRequestException("Invalid principal: empty");
    }
    return user(assignment.principal());
  }

  /** An assignment's principal from an OpenFGA subject, or null for a subject Floe never writes. */
  static String principal(String subject) {
    if (subject.startsWith("user:")) {
      return decode(subject.substring(5));
    }
    if (subject.startsWith("role:") && subject.endsWith("#assignee")) {
      return Assignment.ROLE_PREFIX + decode(subject.substring(5, subject.length() - 9));
    }
    return null;
  }

  /** The id of an OpenFGA object of a type, decoded. */
  static String id(String object, ObjectType type) {
    String prefix = type.text() + ":";
    return object.startsWith(prefix) ? decode(object.substring(prefix.length())) : null;
  }

  static String encode(String id) {
    StringBuilder out = new StringBuilder(id.length());
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String decode(String encoded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write((byte) c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
