package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The read side restarted in the middle of a transfer workload: the write side does not notice,
 * and the restarted views — restored from their changelogs and caught up from the event topics —
 * show every statement folding to its balance and the sum unchanged.
 */
class QueryRestartIT {

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  @Test
  void shouldRebuildConsistentViewsAfterARestartMidRun() {
    services.startProjector();
    ConfigurableApplicationContext queryService = services.startQueryService();
    String command = Services.url(services.startCommandService(Services.url(queryService)));
    String owner = unique("qrestart");
    assertThat(Http.post(command + "/users", userJson(owner)).status()).isEqualTo(201);
    Bank before = new Bank(command, Services.url(queryService), owner);
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      accounts.add(before.open("EUR", "50.00"));
    }

    AtomicInteger sent = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      done.add(CompletableFuture.runAsync(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 60; i++) {
          int from = random.nextInt(accounts.size());
          int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
          String amount = BigDecimal.valueOf(random.nextInt(1, 4001), 2).toPlainString();
          assertThat(before.transfer(accounts.get(from), accounts.get(to), amount).status()).isIn(201, 422);
          sent.incrementAndGet();
        }
      }, clients));
    }
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> sent.get() >= 60);
    services.stop(queryService);
    String query = Services.url(services.startQueryService());
    done.forEach(CompletableFuture::join);
    clients.shutdown();

    Bank after = new Bank(command, query, owner);
    after.awaitTotal(accounts, "300.00", Duration.ofSeconds(60))
        .forEach((account, balance) -> assertThat(balance).as(account).isNotNegative());
    accounts.forEach(after::assertStatementFoldsToBalance);
    after.assertEveryTransferSettledOnce(accounts);
  }
}
