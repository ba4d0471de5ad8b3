package io.floe.rest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.spi.auth.Principal;
import io.floe.spi.error.BadRequestException;
import java.io.IOException;
import java.util.Map;
import org.apache.iceberg.rest.RESTRequest;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Fields;

/** What a handler sees of a request: parameters, headers and the JSON body. No HTTP types leak. */
public final class Call {
  private final String method;
  private final Map<String, String> rawParameters;
  private final Fields query;
  private final HttpFields headers;
  private final byte[] body;
  private final ObjectMapper mapper;
  private final String requestId;
  private final Principal principal;

  Call(
      String method,
      Map<String, String> rawParameters,
      Fields query,
      HttpFields headers,
      byte[] body,
      ObjectMapper mapper,
      String requestId,
      Principal principal) {
    this.method = method;
    this.rawParameters = rawParameters;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.mapper = mapper;
    this.requestId = requestId;
    this.principal = principal;
  }

  /** Who makes the request ({@link Principal#ANONYMOUS} when authentication is off). */
  public Principal principal() {
    return principal;
  }

  public String method() {
    return method;
  }

  public String requestId() {
    return requestId;
  }

  /** A path parameter, percent-decoded. */
  public String path(String name) {
    return Router.decode(rawPath(name));
  }

  /** Whether the route's path has this parameter. */
  public boolean hasPath(String name) {
    return rawParameters.containsKey(name);
  }

  /** A path parameter as sent, still percent-encoded. */
  public String rawPath(String name) {
    String value = rawParameters.get(name);
    if (value == null) {
      throw new IllegalStateException("No path parameter " + name);
    }
    return value;
  }

  /** A query parameter, or null when absent. */
  public String query(String name) {
    return query.getValue(name);
  }

  /** The page asked for by {@code pageToken} and {@code pageSize}, as the Iceberg REST API names them. */
  public io.floe.spi.store.PageRequest page() {
    String token = query("pageToken");
    String size = query("pageSize");
    Integer pageSize = null;
    if (size != null) {
      try {
        pageSize = Integer.parseInt(size);
      } catch (NumberFormatException e) {
        throw new BadRequestException("Invalid pageSize: %s", size);
      }
      if (pageSize < 1) {
        throw new BadRequestException("Invalid pageSize: %s (must be positive)", size);
      }
    }
    return new io.floe.spi.store.PageRequest(token == null || token.isEmpty() ? null : token, pageSize);
  }

  /** A request header, or null when absent. */
  public String header(String name) {
    return headers.get(name);
  }

  /**
   * Parses the JSON body into an Iceberg (or Floe) request type and validates it.
   *
   * @throws BadRequestException when the body is missing, malformed or invalid
   */
  public <T> T body(Class<T> type) {
    if (body.length == 0) {
      throw new BadRequestException("Invalid request: missing JSON body");
    }
    T value;
    try {
      value = mapper.readValue(body, type);
    } catch (IOException | RuntimeException e) {
      throw new BadRequestException(e, "Invalid JSON body for %s: %s", type.getSimpleName(), firstLine(e));
    }
    if (value == null) {
      throw new BadRequestException("Invalid request: JSON body is null");
    }
    if (value instanceof RESTRequest request) {
      try {
        request.validate();
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new BadRequestException(e, "Invalid %s: %s", type.getSimpleName(), e.getMessage());
      }
    }
    return value;
  }

  /** Serializes a response object with the API's mapper, for routes that keep the bytes. */
  public byte[] json(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /** The raw JSON body as a tree, for Floe's own request types. */
  public com.fasterxml.jackson.databind.JsonNode jsonBody() {
    if (body.length == 0) {
      throw new BadRequestException("Invalid request: missing JSON body");
    }
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw new BadRequestException(e, "Invalid JSON body: %s", firstLine(e));
    }
  }

  private static String firstLine(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && cause.getCause() != cause
        && (cause instanceof com.fasterxml.jackson.databind.JsonMappingException)) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
