package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.console.ConsoleApplication;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.Services;
import dev.streamledger.testsupport.DevTokens;
import dev.streamledger.testsupport.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console in a real browser: Debian's Chromium, driven by playwright-core from
 * {@code console/frontend/e2e/console.e2e.mjs}, against the console and the three services on the
 * shared broker. The script is the test (its assertions, its steps in its header); this runs it and
 * fails with what it printed. Needs {@code /usr/bin/chromium} ({@code apt-get install chromium};
 * {@code .ci/run} installs it) and the console's npm packages, which its build installs.
 */
class ConsoleIT {

  private static final Path FRONTEND = Repository.root().resolve("console/frontend");
  private static Services services;
  private static ConfigurableApplicationContext console;

  @BeforeAll
  static void start() {
    services = new Services();
    String projector = Services.url(services.startProjector());
    String query = Services.url(services.startQueryService());
    String command = Services.url(services.startCommandService(query));
    console = Services.launch(ConsoleApplication.builder(), Map.of(
        "streamledger.console.command-url", command,
        "streamledger.console.query-url", query,
        "streamledger.console.dev-sign-in-key", DevTokens.forTests().privateKeyLocation(),
        "streamledger.console.scrape.command-service", command,
        "streamledger.console.scrape.query-service", query,
        "streamledger.console.scrape.projector", projector));
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
    }
    services.close();
  }

  @Test
  void shouldMoveMoneyLiveAndCatchUpExactlyAfterBeingOffline() throws Exception {
    assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (apt-get install chromium)").isExecutable();
    // a record the projector cannot use: the operators' page must show it with its reason and origin
    String parkedKey = "console-dead-letter-" + UUID.randomUUID();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), parkedKey.getBytes(StandardCharsets.UTF_8),
          "not a command".getBytes(StandardCharsets.UTF_8))).get();
    }
    String printed = runScript("e2e/console.e2e.mjs", Map.of("DEAD_LETTER_KEY", parkedKey));
    assertThat(printed).contains("console e2e: passed");
  }

  @Test
  void shouldWorkInFirefoxToo() throws Exception {
    assertThat(Path.of("/usr/bin/firefox-esr")).as("Debian's firefox-esr (apt-get install firefox-esr)").isExecutable();
    assertThat(runScript("e2e/firefox.e2e.mjs", Map.of())).contains("firefox e2e: passed");
  }

  /** Runs a browser test script of the console against it; fails with what it printed unless it passes. */
  private static String runScript(String script, Map<String, String> environment) throws Exception {
    Path output = Files.createTempFile("console-e2e", ".out");
    try {
      ProcessBuilder e2e = new ProcessBuilder(List.of("node", script))
          .directory(FRONTEND.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
      e2e.environment().put("CONSOLE_URL", Services.url(console));
      e2e.environment().putAll(environment);
      String screenshots = System.getProperty("console.screenshots");
      if (screenshots != null) {
        e2e.environment().put("SCREENSHOTS", screenshots);
      }
      Process run = e2e.start();
      boolean finished = run.waitFor(5, TimeUnit.MINUTES);
      if (!finished) {
        run.destroyForcibly();
      }
      String printed = Files.readString(output);
      assertThat(finished).as("the browser test finished:\n" + printed).isTrue();
      assertThat(run.exitValue()).as(printed).isZero();
      return printed;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
