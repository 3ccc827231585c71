package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.system.support.SlowSystemTest;
import dev.streamledger.testsupport.LoopbackPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Views folded again from offset 0 — a query service under a new application id, which is what
 * {@code bin/rebuild-views} starts — are identical to the live views, view by view (digests).
 */
@SlowSystemTest
class RebuildIT {

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  @Test
  void shouldRebuildEveryViewFromOffsetZeroIdenticalToTheLiveViews() {
    services.startProjector();
    String live = Services.url(services.startQueryService("query-live", LoopbackPorts.free()));
    String command = Services.url(services.startCommandService(live));
    Bank bank = Bank.register(command, live, unique("rebuild"));
    List<String> accounts = bank.open(6, "EUR", "50.00");
    for (int i = 0; i < 20; i++) {
      bank.transfer(accounts.get(i % 6), accounts.get((i + 1) % 6), "3.00");
    }
    bank.awaitBalancedBooks("EUR");

    ConfigurableApplicationContext rebuiltService = services.startQueryService("query-rebuilt", LoopbackPorts.free(), 0,
        Map.of("streamledger.query.application-id", "rebuild-" + UUID.randomUUID(),
            "streamledger.query.compare-with", live));
    String rebuilt = Services.url(rebuiltService);
    // caught up means done: the live views are at rest, so the first answer that says both sides
    // have read everything must find them identical (a caughtUp that comes early fails here)
    JsonNode comparison = Awaitility.await("both views caught up")
        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> Http.get(rebuilt + "/views/digests/compare?with=" + live).json(),
            compared -> compared.path("caughtUp").asBoolean());
    assertThat(comparison.path("identical").asBoolean()).as(comparison.toPrettyString()).isTrue();

    JsonNode here = comparison.get("here");
    assertThat(here.get("complete").asBoolean()).isTrue();
    assertThat(here.get("recordsRead").asLong()).isPositive();
    assertThat(here.get("views").propertyNames()).containsExactlyInAnyOrder("user-view", "account-view",
        "statement-view", "transfer-movements", "transfer-view", "outcome-view");
    assertThat(here.at("/views/account-view/entries").asLong()).isGreaterThanOrEqualTo(6);
    assertThat(here.at("/views/statement-view/entries").asLong()).isGreaterThanOrEqualTo(6 + 6 + 40);
    assertThat(here.get("views")).isEqualTo(comparison.at("/there/views"));
    String table = Http.get(rebuilt + "/views/digests/compare?with=" + live, Map.of("Accept", "text/plain")).raw().body();
    assertThat(table).contains("identical: true").doesNotContain("DIFFERENT");

    // a deployment that stops folding must stop saying it has caught up: paused, it falls behind
    // the events written meanwhile, and says so until it has folded them
    KafkaStreams folding = rebuiltService.getBean(ManagedKafkaStreams.class).streams();
    folding.pause();
    for (int i = 0; i < 6; i++) {
      bank.transfer(accounts.get(i), accounts.get((i + 1) % 6), "1.00");
    }
    bank.awaitBalancedBooks("EUR");
    assertThat(Http.get(rebuilt + "/views/digests").json().path("caughtUp").asBoolean())
        .as("caught up while paused behind new events").isFalse();
    folding.resume();
    JsonNode resumed = Awaitility.await("caught up again").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Http.get(rebuilt + "/views/digests/compare?with=" + live).json(),
            compared -> compared.path("caughtUp").asBoolean());
    assertThat(resumed.path("identical").asBoolean()).as(resumed.toPrettyString()).isTrue();
  }
}
