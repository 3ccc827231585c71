package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Each command-service instance answers its own requests with their own outcomes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoCommandServicesIT {

  private final Services services = new Services();
  private String first;
  private String second;

  @BeforeAll
  void start() {
    services.startProjector();
    String query = Services.url(services.startQueryService());
    first = Services.url(services.startCommandService(query));
    second = Services.url(services.startCommandService(query));
  }

  @AfterAll
  void stop() {
    services.close();
  }

  @Test
  void shouldAnswerEveryRequestWithItsOwnOutcomeOnEitherInstance() {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<String> names = new ArrayList<>();
    List<CompletableFuture<Http.Response>> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String name = unique("own" + i);
      String instance = i % 2 == 0 ? first : second;
      names.add(name);
      answers.add(CompletableFuture.supplyAsync(() -> Http.post(instance + "/users", userJson(name)), pool));
    }
    for (int i = 0; i < names.size(); i++) {
      Http.Response answer = answers.get(i).join();
      assertThat(answer.status()).as("claim of %s", names.get(i)).isEqualTo(201);
      assertThat(answer.json().get("username").asString()).isEqualTo(names.get(i));
    }
    pool.shutdown();
  }

  @Test
  void shouldLetOnlyOneInstanceWinARaceForOneName() {
    String name = unique("split");
    var a = CompletableFuture.supplyAsync(() -> Http.post(first + "/users", userJson(name)));
    var b = CompletableFuture.supplyAsync(() -> Http.post(second + "/users", userJson(name.toUpperCase())));
    assertThat(List.of(a.join().status(), b.join().status())).containsExactlyInAnyOrder(201, 409);
  }
}
