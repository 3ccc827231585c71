package dev.streamledger.system;

import static dev.streamledger.system.UsernameRegistrationIT.unique;
import static dev.streamledger.system.support.Http.userJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamledger.system.support.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as a user of {@code bin/local-stack} would: the packaged services and a standalone
 * broker process, driven over HTTP; stopped with SIGTERM (everything it started must go), then
 * started again on the same data (registered users must still be there).
 */
class LocalStackIT {

  private static final Path ROOT = Path.of(System.getProperty("streamledger.project.root", "..")).toAbsolutePath();

  @TempDir Path data;
  private final List<Process> started = new ArrayList<>();
  private final Map<String, Integer> ports = freePorts("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "COMMAND_PORT",
      "QUERY_PORT", "PROJECTOR_PORT");

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

    Process first = startStack("first");
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
    stopAndCheckEverythingIsGone(first);

    Process second = startStack("second");
    assertThat(Files.readString(data.resolve("second.out"))).contains("reusing broker storage");
    Http.Response kept = Http.get(query + "/users/" + name, as);
    assertThat(kept.status()).isEqualTo(200);
    assertThat(kept.json().get("displayName").asString()).isEqualTo("End To End");
    assertThat(Http.post(command + "/users", userJson(name), as).status()).isEqualTo(409);
    stopAndCheckEverythingIsGone(second);
  }

  private String token(String subject) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/token").toString(), subject)
        .directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("LOCAL_STACK_DATA", data.resolve("stack").toString());
    Process token = builder.start();
    String printed = new String(token.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    assertThat(token.waitFor()).isZero();
    return printed;
  }

  private Process startStack(String run) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/local-stack").toString())
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(data.resolve(run + ".out").toFile());
    ports.forEach((key, port) -> builder.environment().put(key, Integer.toString(port)));
    builder.environment().put("LOCAL_STACK_DATA", data.resolve("stack").toString());
    builder.environment().put("SERVICE_HEAP", "256m");
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

  private void stopAndCheckEverythingIsGone(Process stack) throws InterruptedException {
    List<ProcessHandle> children = stack.descendants().toList();
    assertThat(children).hasSizeGreaterThanOrEqualTo(4);       // broker and three services
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
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (String name : names) {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        held.add(socket);
        ports.put(name, socket.getLocalPort());
      }
      for (ServerSocket socket : held) {
        socket.close();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ports;
  }
}
