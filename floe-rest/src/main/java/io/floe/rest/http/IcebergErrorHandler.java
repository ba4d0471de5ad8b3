package io.floe.rest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors Jetty raises itself, before a request reaches Floe's handler (a URI it
 * cannot parse, headers or a URI over its limits, a broken request line), as Iceberg error
 * models rather than Jetty's HTML page, so that every response a client reads has one shape.
 */
final class IcebergErrorHandler extends ErrorHandler {
  private final ObjectMapper mapper;

  IcebergErrorHandler(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback)
      throws IOException {
    String text = message == null || message.isBlank() ? "HTTP error " + code : message;
    ErrorResponse error =
        ErrorResponse.builder().responseCode(code).withType(type(code)).withMessage(text).build();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(error)), callback);
  }

  private static String type(int code) {
    return switch (code) {
      case 400 -> "BadRequestException";
      case 404 -> "NoSuchResourceException";
      case 405 -> "MethodNotAllowedException";
      case 413 -> "PayloadTooLargeException";
      case 414 -> "UriTooLongException";
      case 431 -> "RequestHeaderFieldsTooLargeException";
      case 503 -> "ServiceUnavailableException";
      default -> code >= 500 ? "InternalServerError" : "BadRequestException";
    };
  }
}
