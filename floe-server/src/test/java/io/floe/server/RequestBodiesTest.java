package io.floe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.server.testing.TestServer;
import io.floe.store.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are read whole without blocking Jetty's I/O thread, however they arrive: in
 * pieces, late, chunked, after reads answered on the I/O thread on the same connection, and over
 * the limit. Raw sockets, so that the pieces really go out apart.
 */
class RequestBodiesTest {
  private static TestServer server;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(Map.of("FLOE_DATABASE_URL", TestDatabase.create(), "FLOE_MAX_REQUEST_BODY_BYTES", "4096"));
    prefix = "/v1/" + server.demoPrefix();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bodiesThatArriveInPiecesAfterReadsOnTheSameConnectionAreReadWhole() throws Exception {
    try (Connection connection = new Connection()) {
      for (int i = 0; i < 40; i++) {
        assertThat(connection.exchange("GET " + prefix + "/namespaces HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
        String body = "{\"namespace\":[\"pieces_" + i + "\"],\"properties\":{\"k\":\"" + "v".repeat(i * 50) + "\"}}";
        String head = "POST " + prefix + "/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
        // the headers alone, then the body in two pieces, each late
        Reply reply = connection.exchange(head, body.substring(0, body.length() / 2), body.substring(body.length() / 2));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).contains("pieces_" + i);
      }
    }
    assertThat(server.get(prefix + "/namespaces/pieces_39").body()).contains("v".repeat(39 * 50));
  }

  @Test
  void chunkedBodiesAreReadWhole() throws Exception {
    try (Connection connection = new Connection()) {
      String head = "POST " + prefix + "/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n";
      Reply reply = connection.exchange(head, chunk("{\"namespace\":"), chunk("[\"chunked\"]}"), "0\r\n\r\n");
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      // the connection goes on serving
      assertThat(connection.exchange("GET " + prefix + "/namespaces/chunked HTTP/1.1\r\nHost: x\r\n\r\n").status())
          .isEqualTo(200);
    }
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedWith413AndChangesNothing() throws Exception {
    try (Connection connection = new Connection()) {
      String head = "POST " + prefix + "/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n";
      String[] pieces = new String[12];
      pieces[0] = head + chunk("{\"namespace\":[\"too_big\"],\"properties\":{\"k\":\"");
      for (int i = 1; i < 10; i++) {
        pieces[i] = chunk("x".repeat(1000));
      }
      pieces[10] = chunk("\"}}");
      pieces[11] = "0\r\n\r\n";
      Reply reply = connection.exchange(pieces);
      assertThat(reply.status()).isEqualTo(413);
      assertThat(reply.body()).contains("PayloadTooLargeException");
    }
    assertThat(server.head(prefix + "/namespaces/too_big").statusCode()).isEqualTo(404);
  }

  @Test
  void aClientThatWaitsFor100ContinueGetsItThenItsAnswer() throws Exception {
    try (Connection connection = new Connection()) {
      String body = "{\"namespace\":[\"expecting\"]}";
      connection.write("POST " + prefix + "/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");
      // the body goes only once the server has asked for it, as curl and Python's clients do
      assertThat(connection.line()).startsWith("HTTP/1.1 100");
      assertThat(connection.line()).isEmpty();
      Reply reply = connection.exchange(body);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }
    assertThat(server.head(prefix + "/namespaces/expecting").statusCode()).isEqualTo(204);
  }

  @Test
  void aBodyCutShortIsAClientErrorAndChangesNothing() throws Exception {
    try (Connection connection = new Connection()) {
      connection.write("POST " + prefix + "/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"namespace\":[\"cut_short\"]}");
      connection.socket.shutdownOutput();
      Reply reply = connection.exchange();
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.body()).contains("Cannot read the request body");
    }
    assertThat(server.head(prefix + "/namespaces/cut_short").statusCode()).isEqualTo(404);
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedWith413() throws Exception {
    try (Connection connection = new Connection()) {
      String body = "{\"namespace\":[\"declared_big\"],\"properties\":{\"k\":\"" + "x".repeat(5000) + "\"}}";
      Reply reply = connection.exchange(
          "POST " + prefix + "/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length() + "\r\n\r\n", body);
      assertThat(reply.status()).isEqualTo(413);
    }
    assertThat(server.head(prefix + "/namespaces/declared_big").statusCode()).isEqualTo(404);
  }

  private static String chunk(String text) {
    return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
  }

  private record Reply(int status, String body) {}

  /** One keep-alive connection: writes each piece apart, then reads one response. */
  private static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Connection() throws IOException {
      URI uri = URI.create(server.uri("/"));
      socket = new Socket(uri.getHost(), uri.getPort());
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    Reply exchange(String... pieces) throws Exception {
      for (int i = 0; i < pieces.length; i++) {
        if (i > 0) {
          Thread.sleep(15);
        }
        out.write(pieces[i].getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      String head = line();
      int status = Integer.parseInt(head.split(" ")[1]);
      int length = -1;
      boolean chunked = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
          body.write(in.readNBytes(size));
          line();
        }
        line();
      } else if (length > 0) {
        body.write(in.readNBytes(length));
      }
      return new Reply(status, body.toString(StandardCharsets.UTF_8));
    }

    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
