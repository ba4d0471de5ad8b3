package io.floe.store.postgres.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between Floe and PostgreSQL that makes real network faults on demand: it cuts
 * connections, refuses new ones, stalls them (bytes held, sockets open, as on a half-open path),
 * and cuts a connection exactly at {@code COMMIT}, before the statement reaches the server or
 * after it has, with the answer lost. Connections are tagged by a text in their startup packet
 * (PostgreSQL's {@code application_name}), so one kind of connection can be singled out.
 */
public final class FaultProxy implements AutoCloseable {
  /** The statement text as the driver sends it, NUL-terminated: JSON in other statements has no NUL. */
  private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

  /** What to do with the next statements that commit a transaction. */
  public enum CommitFault {
    /** Cut the connection before COMMIT reaches the server: the transaction rolls back. */
    DROP_BEFORE,
    /** Let COMMIT reach the server, then cut the connection before the answer comes back. */
    LOSE_ANSWER,
    /**
     * As {@link #LOSE_ANSWER}, and then the database goes away: every connection is cut and new
     * ones are refused until {@link #refuse refuse(false)}.
     */
    LOSE_ANSWER_THEN_DOWN
  }

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger skipCommits = new AtomicInteger();
  private final AtomicInteger dropBefore = new AtomicInteger();
  private final AtomicInteger loseAnswer = new AtomicInteger();
  private final AtomicInteger loseAnswerThenDown = new AtomicInteger();
  private final AtomicLong commitsSeen = new AtomicLong();
  private final AtomicLong commitsCut = new AtomicLong();
  private volatile boolean refusing;
  /** While the database is "down", the one connection still let through to finish its COMMIT. */
  private volatile Link survivor;
  private volatile String stalledTag;
  private volatile boolean stalledAll;
  private volatile String droppedNotificationsTag;
  /** Chance, per COMMIT, of a random fault (0 for none). */
  private volatile double randomCommitFaults;
  private final Thread acceptor;

  private FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::accept);
  }

  /** A proxy in front of the PostgreSQL server named by a JDBC URL. */
  public static FaultProxy forJdbcUrl(String jdbcUrl) throws IOException {
    java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
    return new FaultProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
  }

  /** The same JDBC URL, pointed at this proxy. */
  public String route(String jdbcUrl) {
    java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
    String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    return jdbcUrl.replaceFirst(java.util.regex.Pattern.quote(authority), "127.0.0.1:" + port());
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Makes the next {@code count} COMMITs, after the first {@code skip}, fail in that way. */
  public void failNextCommits(CommitFault fault, int count, int skip) {
    skipCommits.set(skip);
    failNextCommits(fault, count);
  }

  /** Makes the next {@code count} COMMITs fail in that way. */
  public void failNextCommits(CommitFault fault, int count) {
    switch (fault) {
      case DROP_BEFORE -> dropBefore.addAndGet(count);
      case LOSE_ANSWER -> loseAnswer.addAndGet(count);
      case LOSE_ANSWER_THEN_DOWN -> loseAnswerThenDown.addAndGet(count);
    }
  }

  /** Gives each COMMIT this chance of a fault, half of either kind. */
  public void failCommitsAtRandom(double chance) {
    randomCommitFaults = chance;
  }

  public long commitsSeen() {
    return commitsSeen.get();
  }

  public long commitsCut() {
    return commitsCut.get();
  }

  /** Closes every open connection at once, with a reset. */
  public void cutAll() {
    for (Link link : links) {
      link.close();
    }
  }

  /** Closes the connections whose startup packet held {@code tag}. */
  public void cut(String tag) {
    for (Link link : links) {
      if (link.tagged(tag)) {
        link.close();
      }
    }
  }

  /** While true, new connections are accepted and closed at once (a database that is down). */
  public void refuse(boolean refuse) {
    this.refusing = refuse;
    if (!refuse) {
      survivor = null;
    }
  }

  /** Holds every byte of the connections tagged {@code tag} (null: of none) until resumed. */
  public void stall(String tag) {
    this.stalledTag = tag;
  }

  /**
   * Drops the notifications PostgreSQL sends to connections tagged {@code tag} (null: to none),
   * as a connection pooler that does not carry {@code LISTEN} would, while the connection
   * otherwise works.
   */
  public void dropNotifications(String tag) {
    this.droppedNotificationsTag = tag;
  }

  /** Holds every byte of every connection, new ones included, while true. */
  public void stallAll(boolean stall) {
    this.stalledAll = stall;
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
    cutAll();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
        Link link = new Link(client, server);
        links.add(link);
        link.start();
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private final class Link {
    private final Socket client;
    private final Socket server;
    private final StringBuilder startup = new StringBuilder();
    private final Set<String> commitStatements = ConcurrentHashMap.newKeySet();
    /** Server bytes not yet forwarded: messages are forwarded whole, so that some can be dropped. */
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    /** The client asked for TLS first: the server's first answer is one byte, not a message. */
    private volatile boolean sslAnswerPending;
    private volatile boolean firstUpstream = true;
    private volatile boolean answerLost;
    private volatile boolean closed;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      Thread.ofVirtual().start(() -> pump(client, server, true));
      Thread.ofVirtual().start(() -> pump(server, client, false));
    }

    /**
     * Whether these bytes send COMMIT: its text in a Parse or Query message, or a Bind of a
     * statement the driver prepared from that text earlier on this connection (after a few uses
     * the PostgreSQL driver sends only the prepared statement's name).
     */
    private boolean isCommit(byte[] buffer, int length) {
      int at = indexOf(buffer, length, COMMIT, 0);
      if (at >= 0) {
        // Parse: 'P' length name NUL text NUL; remember a non-empty name
        int end = at - 1;
        int start = end;
        while (start > 0 && buffer[start - 1] >= 0x21 && buffer[start - 1] < 0x7f) {
          start--;
        }
        if (end >= 0 && buffer[end] == 0 && start < end) {
          commitStatements.add(new String(buffer, start, end - start, StandardCharsets.US_ASCII));
        }
        return true;
      }
      for (String name : commitStatements) {
        // Bind: 'B' length portal NUL statement NUL, with the unnamed portal
        byte[] bind = ("\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        if (indexOf(buffer, length, bind, 0) >= 0) {
          return true;
        }
      }
      return false;
    }

    boolean tagged(String tag) {
      synchronized (startup) {
        return startup.indexOf(tag) >= 0;
      }
    }

    private boolean stalled() {
      String tag = stalledTag;
      Link alive = survivor;
      return stalledAll || (tag != null && tagged(tag)) || (alive != null && alive != this);
    }

    private void pump(Socket from, Socket to, boolean upstream) {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (upstream && firstUpstream) {
            firstUpstream = false;
            // SSLRequest: length 8, code 80877103
            sslAnswerPending = read >= 8 && buffer[3] == 8 && buffer[4] == 0x04 && buffer[5] == (byte) 0xd2
                && buffer[6] == 0x16 && buffer[7] == 0x2f;
          }
          if (upstream) {
            synchronized (startup) {
              if (startup.length() < 4096) {
                startup.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
              }
            }
          }
          while (stalled() && !closed) {
            Thread.sleep(20);
          }
          if (!upstream && answerLost) {
            close();
            return;
          }
          if (upstream && isCommit(buffer, read)) {
            commitsSeen.incrementAndGet();
            CommitFault fault = nextFault();
            if (fault == CommitFault.DROP_BEFORE) {
              commitsCut.incrementAndGet();
              close();
              return;
            }
            if (fault == CommitFault.LOSE_ANSWER || fault == CommitFault.LOSE_ANSWER_THEN_DOWN) {
              commitsCut.incrementAndGet();
              answerLost = true;
              if (fault == CommitFault.LOSE_ANSWER_THEN_DOWN) {
                // from now on nothing else gets through: the database is gone for everyone else
                survivor = this;
                refusing = true;
              }
              out.write(buffer, 0, read);
              out.flush();
              if (fault == CommitFault.LOSE_ANSWER_THEN_DOWN) {
                Thread.sleep(200); // the server commits; then it is gone
                cutAll();
              }
              continue;
            }
          }
          if (upstream) {
            out.write(buffer, 0, read);
          } else {
            forwardMessages(buffer, read, out);
          }
          out.flush();
        }
      } catch (IOException e) {
        // the other side is gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close();
      }
    }

    /** Forwards the complete server messages received so far, less dropped notifications. */
    private void forwardMessages(byte[] buffer, int length, OutputStream out) throws IOException {
      pending.write(buffer, 0, length);
      byte[] bytes = pending.toByteArray();
      int at = 0;
      if (sslAnswerPending && bytes.length > 0) {
        sslAnswerPending = false;
        out.write(bytes, 0, 1);
        at = 1;
      }
      String dropTag = droppedNotificationsTag;
      boolean drop = dropTag != null && tagged(dropTag);
      while (bytes.length - at >= 5) {
        int size = ((bytes[at + 1] & 0xff) << 24) | ((bytes[at + 2] & 0xff) << 16)
            | ((bytes[at + 3] & 0xff) << 8) | (bytes[at + 4] & 0xff);
        if (bytes.length - at < 1 + size) {
          break;
        }
        if (!(drop && bytes[at] == 'A')) {
          out.write(bytes, at, 1 + size);
        }
        at += 1 + size;
      }
      pending.reset();
      pending.write(bytes, at, bytes.length - at);
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      links.remove(this);
      reset(client);
      reset(server);
    }
  }

  private CommitFault nextFault() {
    if (decrementIfPositive(skipCommits)) {
      return null;
    }
    if (decrementIfPositive(dropBefore)) {
      return CommitFault.DROP_BEFORE;
    }
    if (decrementIfPositive(loseAnswer)) {
      return CommitFault.LOSE_ANSWER;
    }
    if (decrementIfPositive(loseAnswerThenDown)) {
      return CommitFault.LOSE_ANSWER_THEN_DOWN;
    }
    double chance = randomCommitFaults;
    if (chance > 0 && ThreadLocalRandom.current().nextDouble() < chance) {
      return ThreadLocalRandom.current().nextBoolean() ? CommitFault.DROP_BEFORE : CommitFault.LOSE_ANSWER;
    }
    return null;
  }

  private static boolean decrementIfPositive(AtomicInteger counter) {
    while (true) {
      int value = counter.get();
      if (value <= 0) {
        return false;
      }
      if (counter.compareAndSet(value, value - 1)) {
        return true;
      }
    }
  }

  private static int indexOf(byte[] buffer, int length, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buffer[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
