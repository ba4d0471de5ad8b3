package io.floe.rest.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads a request's whole body without blocking, on the thread Jetty gives it: started from the
 * handler on the I/O thread, and continued by Jetty when more of it arrives. Every read of the
 * request happens here, one after another, so that no other thread parses the connection while
 * Jetty's I/O thread does; the request is handed to a thread that may wait only once its body is in
 * memory.
 */
final class BodyReader {
  /** How much of a refused body is read and dropped, so that the client, still sending, sees the 413. */
  private static final long DRAIN_LIMIT = 64L * 1024 * 1024;
  /** The largest buffer allocated before the bytes to fill it have arrived. */
  private static final int INITIAL_MAX = 64 * 1024;

  /** The body of a request that has none. */
  static final byte[] NONE = new byte[0];

  /** What became of a body: its bytes, or why there are none. */
  record Result(byte[] bytes, HttpStatusException error) {}

  private final Request request;
  private final long maxBytes;
  private final Consumer<Result> done;
  private final Runnable onContent = Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::read);
  private byte[] bytes;
  private int length;
  private long dropped;
  private boolean tooLarge;

  private BodyReader(Request request, long maxBytes, Consumer<Result> done) {
    this.request = request;
    this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 8);
    this.done = done;
    long declared = request.getLength();
    tooLarge = declared > this.maxBytes;
    // the declared length sizes the buffer only up to a bound: memory follows what has arrived, so
    // that headers promising large bodies that never come cost little
    bytes = tooLarge ? null : new byte[(int) Math.min(declared > 0 ? declared : 8192, Math.min(INITIAL_MAX, this.maxBytes))];
  }

  /** Reads what has arrived, and has Jetty call back for the rest; {@code done} gets the outcome once. */
  static void read(Request request, long maxBytes, Consumer<Result> done) {
    if (hasNoBody(request)) {
      done.accept(new Result(NONE, null)); // reading would only go through the connection's read machinery
    } else {
      new BodyReader(request, maxBytes, done).read();
    }
  }

  /**
   * Whether a request has no content: {@code Content-Length: 0}, or neither it nor {@code
   * Transfer-Encoding} (RFC 9112, 6.3), as most GETs.
   */
  static boolean hasNoBody(Request request) {
    long length = request.getLength();
    return length == 0 || (length < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
  }

  private void read() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(onContent);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        // the client went away or stopped sending: the answer, if it can still be written, says so
        // (the cause stays in the server: its text names the server's classes)
        done.accept(new Result(null, new HttpStatusException(
            400, "BadRequestException", "Cannot read the request body: the connection failed or the client stopped sending")));
        return;
      }
      append(chunk.getByteBuffer());
      boolean last = chunk.isLast();
      chunk.release();
      if (last || dropped > DRAIN_LIMIT) {
        done.accept(tooLarge
            ? new Result(null, new HttpStatusException(
                413, "PayloadTooLargeException", "Request body exceeds the limit of " + maxBytes + " bytes"))
            : new Result(length == bytes.length ? bytes : Arrays.copyOf(bytes, length), null));
        return;
      }
    }
  }

  private void append(ByteBuffer buffer) {
    int n = buffer.remaining();
    if (!tooLarge && length + (long) n > maxBytes) {
      tooLarge = true;
      bytes = null;
    }
    if (tooLarge) {
      dropped += n;
      return;
    }
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max((long) bytes.length * 2, length + (long) n)));
    }
    buffer.get(bytes, length, n);
    length += n;
  }
}
