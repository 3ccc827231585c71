package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Concurrently;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Names;
import dev.streamledger.system.support.Services;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client over its command rate limit gets {@code 429} with {@code Retry-After}, and nothing happens. */
class RateLimitIT {

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  @Test
  void shouldRefuseCommandsOverTheLimitUntilTheBucketRefills() {
    services.startProjector();
    String query = Services.url(services.startQueryService());
    String command = Services.url(services.startCommandService(query, Map.of(
        "streamledger.command.rate-limit.per-second", "2", "streamledger.command.rate-limit.burst", "4")));
    Bank bank = Bank.register(command, query, Names.unique("limited"));   // 1 of 4
    String account = bank.open("EUR", null);                                             // 2 of 4

    // eight at once: at most the burst of four (and what refills meanwhile) can get through
    List<Http.Response> answers = Concurrently.send(8,
        i -> Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"1.00\"}"));
    List<Http.Response> refused = answers.stream().filter(a -> a.status() == 429).toList();
    long deposited = answers.stream().filter(a -> a.status() == 201).count();
    assertThat(refused).isNotEmpty().allSatisfy(answer -> {
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().get("type").asString()).isEqualTo("/problems/too-many-requests");
      assertThat(Integer.parseInt(answer.header("Retry-After"))).isPositive();
    });
    assertThat(deposited + refused.size()).isEqualTo(8);
    assertThat(refused.size()).isGreaterThanOrEqualTo(2);
    // reads are not limited
    assertThat(Http.get(command + "/v3/api-docs").status()).isEqualTo(200);

    // a refused command changed nothing: the balance is what the 201s deposited
    await("the deposits in the view").atMost(Duration.ofSeconds(30)).until(
        () -> Http.get(query + "/accounts/" + account).json().path("version").asLong(0) == 1 + deposited);
    assertThat(Http.get(query + "/accounts/" + account).json().get("balance").asString())
        .isEqualTo(deposited + ".00");
    // and once the bucket has refilled, the client is served again
    await("a token back").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(
        () -> Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"1.00\"}").status() == 201);
  }

}
