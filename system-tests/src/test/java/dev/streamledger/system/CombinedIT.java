package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streamledger.combined.CombinedApplication;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The combined process ({@link CombinedApplication}): the three services in one JVM, each taking
 * its own settings from arguments that all three receive, answer a command end to end; when one
 * of them cannot start, the ones already started are stopped, not left half running.
 */
class CombinedIT {

  @TempDir Path state;

  private final int projectorPort = LoopbackPorts.free();
  private final int queryPort = LoopbackPorts.free();
  private final int commandPort = LoopbackPorts.free();

  @Test
  void shouldRunTheThreeServicesInOneJvmEachWithItsOwnSettings() {
    List<ConfigurableApplicationContext> services = CombinedApplication.start(arguments());
    try {
      assertThat(services).hasSize(3);
      for (int port : List.of(projectorPort, queryPort, commandPort)) {
        Services.awaitReady("http://127.0.0.1:" + port);
      }
      String name = unique("combined");
      Http.Response created = Http.post("http://127.0.0.1:" + commandPort + "/users", userJson(name));
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      // the command service points at the query service it was started with
      assertThat(created.header("Location")).isEqualTo("http://127.0.0.1:" + queryPort + "/users/" + name);
      await("the user in the view").atMost(Duration.ofSeconds(30))
          .until(() -> Http.get(created.header("Location")).status() == 200);
      assertThat(state.resolve("projector")).isDirectoryContaining(path -> path.getFileName().toString()
          .endsWith("-projector"));
      assertThat(state.resolve("query")).isDirectoryContaining(path -> path.getFileName().toString()
          .endsWith("-query"));
    } finally {
      CombinedApplication.stop(services);
    }
    assertNothingListens();
  }

  @Test
  void shouldStopTheServicesStartedWhenALaterOneCannotStart() throws IOException {
    try (ServerSocket taken = new ServerSocket(commandPort, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> CombinedApplication.start(arguments()))
          .hasStackTraceContaining(Integer.toString(commandPort));
    }
    assertNothingListens();
  }

  /**
   * This test's ports, broker, keys and names, all as arguments (bin/local-stack gives some as
   * environment variables instead).
   */
  private String[] arguments() {
    String deployment = unique("it-combined");
    Map<String, String> settings = new LinkedHashMap<>(Services.SECURITY);
    settings.put("PROJECTOR_PORT", Integer.toString(projectorPort));
    settings.put("QUERY_PORT", Integer.toString(queryPort));
    settings.put("COMMAND_PORT", Integer.toString(commandPort));
    settings.put("streamledger.kafka.bootstrap-servers", Services.bootstrapServers());
    settings.put("streamledger.projector.application-id", deployment + "-projector");
    settings.put("streamledger.projector.state-dir", state.resolve("projector").toString());
    settings.put("streamledger.query.application-id", deployment + "-query");
    settings.put("streamledger.query.state-dir", state.resolve("query").toString());
    settings.put("streamledger.command.query-base-url", "http://127.0.0.1:" + queryPort);
    settings.put("streamledger.command.outcome-wait", "20s");
    settings.put("spring.main.banner-mode", "off");
    settings.put("logging.level.org.apache.kafka", "WARN");
    List<String> arguments = new ArrayList<>();
    settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    return arguments.toArray(String[]::new);
  }

  private void assertNothingListens() {
    for (int port : List.of(projectorPort, queryPort, commandPort)) {
      assertThat(listening(port)).as("port %d still open", port).isFalse();
    }
  }

  private static boolean listening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
