package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.SlowSystemTest;
import dev.streamledger.testsupport.LoopbackPorts;
import dev.streamledger.testsupport.Repository;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as a user of {@code bin/local-stack} would: the packaged services and a standalone
 * broker process, driven over HTTP; stopped with SIGTERM (everything it started must go), then
 * started again on the same data (registered users must still be there); then a rolling restart
 * of every service ({@code bin/local-stack restart}) while a client keeps depositing: every
 * deposit the stack accepted is in the balance, once.
 */
@SlowSystemTest
class LocalStackIT {

  private static final Path ROOT = Repository.root();

  @TempDir Path data;
  private final List<Process> started = new ArrayList<>();
  private final Map<String, Integer> ports = freePorts("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "COMMAND_PORT",
      "QUERY_PORT", "PROJECTOR_PORT", "POSTGRES_PORT", "CONNECT_PORT", "CONSOLE_PORT");

  @AfterEach
  void killLeftovers() {
    for (Process stack : started) {
      stack.descendants().forEach(ProcessHandle::destroyForcibly);
      stack.destroyForcibly();
    }
  }

  @Test
  void shouldRunRegisterStopAndKeepUsersAcrossARestart() throws Exception {
    String command = "http://127.0.0.1:" + ports.get("COMMAND_PORT");
    String query = "http://127.0.0.1:" + ports.get("QUERY_PORT");
    String name = unique("e2e");

    Process first = startStack("first", Map.of());
    // a token as the README says to get one: from bin/token, signed with the stack's own key
    var as = Map.of("Authorization", "Bearer " + token(name));
    assertThat(Http.post(command + "/users", userJson(name)).status()).as("the tests' key is not the stack's")
        .isEqualTo(401);
    Http.Response created = Http.post(command + "/users", "{\"username\":\"" + name.toUpperCase()
        + "\",\"displayName\":\"End To End\"}", as);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo(query + "/users/" + name);
    assertThat(Http.post(command + "/users", userJson(name), as).status()).isEqualTo(409);
    await("the user in the view").atMost(Duration.ofSeconds(30))
        .until(() -> Http.get(query + "/users/" + name, as).status() == 200);
    // the console, with the development sign-in the stack gives it
    String console = "http://127.0.0.1:" + ports.get("CONSOLE_PORT");
    assertThat(Files.readString(data.resolve("first.out"))).contains("console          " + console);
    assertThat(Http.get(console + "/auth/session").json().get("devSignIn").asBoolean()).isTrue();
    stopAndCheckEverythingIsGone(first, 7);       // broker, three services, the console, PostgreSQL and Connect

    Process second = startStack("second", Map.of());
    assertThat(Files.readString(data.resolve("second.out"))).contains("reusing broker storage");
    Http.Response kept = Http.get(query + "/users/" + name, as);
    assertThat(kept.status()).isEqualTo(200);
    assertThat(kept.json().get("displayName").asString()).isEqualTo("End To End");
    assertThat(Http.post(command + "/users", userJson(name), as).status()).isEqualTo(409);

    String account = Http.post(command + "/accounts", "{\"owner\":\"" + name + "\",\"currency\":\"EUR\"}", as)
        .json().get("accountId").asString();
    var depositor = new Depositor(command + "/accounts/" + account + "/deposits",
        Map.of("Authorization", "Bearer " + token("operator", "--operator")));
    Thread client = new Thread(depositor, "depositor");
    client.start();
    await("deposits going in").atMost(Duration.ofSeconds(30)).until(() -> depositor.confirmed.get() >= 5);
    int atStart = depositor.confirmed.get();
    rollingRestart();
    String log = Files.readString(data.resolve("second.out"));
    for (String service : List.of("projector", "query-service", "command-service")) {
      assertThat(log).contains("rolling restart: " + service + " ready again");
    }
    int before = depositor.confirmed.get();
    await("deposits going in after the restart").atMost(Duration.ofSeconds(60))
        .until(() -> depositor.confirmed.get() >= before + 5);
    depositor.running = false;
    client.join(Duration.ofMinutes(3).toMillis());
    assertThat(client.isAlive()).isFalse();
    assertThat(depositor.failure).isNull();
    String expected = depositor.confirmed.get() + ".00";
    System.out.printf("rolling restart: %d deposits confirmed, %d during the restart, %d attempts answered otherwise%n",
        depositor.confirmed.get(), before - atStart, depositor.retried.get());
    await("every accepted deposit in the balance, once").atMost(Duration.ofSeconds(60))
        .until(() -> Http.get(query + "/accounts/" + account, as), answer -> answer.status() == 200
            && answer.json().get("balance").asString().equals(expected));
    // the stack made its keyed topics with one partition (its default with one instance of each),
    // and the query service counts the partitions it found: the audit and the snapshot cover it
    var operator = Map.of("Authorization", "Bearer " + token("operator", "--operator"));
    Http.Response audit = Http.get(query + "/audit", operator);
    assertThat(audit.status()).as(audit.raw().body()).isEqualTo(200);
    assertThat(audit.json().get("partitions").asInt()).isEqualTo(1);
    Http.Response snapshot = Http.get(query + "/snapshots/accounts", operator);
    assertThat(snapshot.status()).as(snapshot.raw().body()).isEqualTo(200);
    assertThat(snapshot.raw().body().lines().filter(line -> line.contains("\"kind\":\"position\"")).count()).isEqualTo(1);
    // the SQL copy the stack keeps (docs/sql.md), through a rolling restart of the services
    assertThat(Files.readString(data.resolve("second.out"))).contains("sql copy");
    String password = Files.readString(data.resolve("stack/postgres/data.password")).strip();
    String url = "jdbc:postgresql://127.0.0.1:" + ports.get("POSTGRES_PORT") + "/ledger";
    await("the deposits in the SQL copy").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> sqlBalance(url, password, account), balance -> balance.compareTo(new BigDecimal(expected)) == 0);
    stopAndCheckEverythingIsGone(second, 7);
  }

  /**
   * {@code LOCAL_STACK_COMBINED=1}: the three services in one JVM beside the broker, on the same
   * ports and data as apart; a rolling restart restarts that one process.
   */
  @Test
  void shouldRunTheServicesInOneProcessWhenCombined() throws Exception {
    String command = "http://127.0.0.1:" + ports.get("COMMAND_PORT");
    String query = "http://127.0.0.1:" + ports.get("QUERY_PORT");
    String name = unique("e2e");

    Process stack = startStack("combined", Map.of("LOCAL_STACK_COMBINED", "1", "SERVICE_HEAP", "512m",
        "LOCAL_STACK_SQL", "0", "LOCAL_STACK_CONSOLE", "0"));
    assertThat(stack.descendants().map(process -> process.info().commandLine().orElse("")).toList())
        .anyMatch(line -> line.contains("combined-0.1.0-SNAPSHOT-exec.jar"))
        .noneMatch(line -> line.contains("projector-0.1.0-SNAPSHOT-exec.jar")
            || line.contains("query-service-0.1.0-SNAPSHOT-exec.jar")
            || line.contains("command-service-0.1.0-SNAPSHOT-exec.jar"));
    var as = Map.of("Authorization", "Bearer " + token(name));
    assertThat(Http.post(command + "/users", userJson(name), as).status()).isEqualTo(201);
    await("the user in the view").atMost(Duration.ofSeconds(30))
        .until(() -> Http.get(query + "/users/" + name, as).status() == 200);
    assertThat(Http.get("http://127.0.0.1:" + ports.get("PROJECTOR_PORT") + "/actuator/health/readiness", as).status())
        .isEqualTo(200);

    rollingRestart();
    assertThat(Files.readString(data.resolve("combined.out"))).contains("rolling restart: combined ready again");
    // taken before the restart (a just-started JVM may first answer 202: still deciding)
    await("the name still taken").atMost(Duration.ofSeconds(60))
        .until(() -> Http.post(command + "/users", userJson(name), as).status(), status -> status == 409);
    stopAndCheckEverythingIsGone(stack, 2);      // broker and the one process
  }

  /**
   * Deposits 1.00 again and again, each with its own {@code Idempotency-Key}, and retries each
   * (with the same key) until it is answered {@code 201}: what a careful client does while the
   * services restart under it. Counts the deposits confirmed.
   */
  private static final class Depositor implements Runnable {
    private final String url;
    private final Map<String, String> headers;
    final AtomicInteger confirmed = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    volatile boolean running = true;
    volatile Throwable failure;

    Depositor(String url, Map<String, String> operator) {
      this.url = url;
      this.headers = operator;
    }

    @Override
    public void run() {
      try {
        while (running) {
          Map<String, String> keyed = new java.util.HashMap<>(headers);
          keyed.put("Idempotency-Key", java.util.UUID.randomUUID().toString());
          await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
              .until(() -> {
                boolean created = false;
                try {
                  created = Http.post(url, "{\"amount\":\"1.00\"}", keyed).status() == 201;
                } finally {
                  if (!created) {
                    retried.incrementAndGet();
                  }
                }
                return created;
              });
          confirmed.incrementAndGet();
        }
      } catch (Throwable e) {
        failure = e;
      }
    }
  }

  private static BigDecimal sqlBalance(String url, String password, String account) throws SQLException {
    try (Connection sql = DriverManager.getConnection(url, "postgres", password);
        PreparedStatement select = sql.prepareStatement("select balance from accounts where account_id = ?")) {
      select.setString(1, account);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getBigDecimal(1) : BigDecimal.ZERO;
      }
    }
  }

  private String token(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/token").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("LOCAL_STACK_DATA", data.resolve("stack").toString());
    Process token = builder.start();
    String printed = new String(token.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertThat(token.waitFor()).isZero();
    return printed;
  }

  /** {@code bin/local-stack restart} beside the running stack; returns once it succeeded. */
  private void rollingRestart() throws IOException, InterruptedException {
    ProcessBuilder restarting = new ProcessBuilder(ROOT.resolve("bin/local-stack").toString(), "restart")
        .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(data.resolve("restart.out").toFile());
    restarting.environment().put("LOCAL_STACK_DATA", data.resolve("stack").toString());
    Process restart = restarting.start();
    assertThat(restart.waitFor(8, TimeUnit.MINUTES)).as("rolling restart finished").isTrue();
    assertThat(restart.exitValue()).as(Files.readString(data.resolve("restart.out"))).isZero();
  }

  private Process startStack(String run, Map<String, String> settings) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/local-stack").toString())
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(data.resolve(run + ".out").toFile());
    ports.forEach((key, port) -> builder.environment().put(key, Integer.toString(port)));
    builder.environment().put("LOCAL_STACK_DATA", data.resolve("stack").toString());
    builder.environment().put("SERVICE_HEAP", "256m");
    builder.environment().putAll(settings);
    Process stack = builder.start();
    started.add(stack);
    await(run + " start of bin/local-stack").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
        .until(() -> {
          String out = Files.readString(data.resolve(run + ".out"));
          if (!stack.isAlive()) {
            throw new AssertionError("bin/local-stack exited " + stack.exitValue() + ":\n" + out);
          }
          return out.contains("[local-stack] ready");
        });
    return stack;
  }

  private void stopAndCheckEverythingIsGone(Process stack, int processes) throws InterruptedException {
    List<ProcessHandle> children = stack.descendants().toList();
    assertThat(children).hasSizeGreaterThanOrEqualTo(processes);
    stack.destroy();                                           // SIGTERM
    assertThat(stack.waitFor(90, TimeUnit.SECONDS)).as("stack stopped").isTrue();
    assertThat(stack.exitValue()).isEqualTo(143);
    await("all children gone").atMost(Duration.ofSeconds(10))
        .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    ports.values().forEach(port -> assertThat(listening(port)).as("port %d still open", port).isFalse());
  }

  private static boolean listening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, Integer> freePorts(String... names) {
    Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    for (String name : names) {
      ports.put(name, LoopbackPorts.free());
    }
    return ports;
  }
}
