package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.system.support.SlowSystemTest;
import dev.streamledger.testsupport.Repository;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guarantees 2 and 3 (docs/guarantees.md#2-no-negative-balance, #3-transfers-settle-once) through a
 * crash: two projector processes share the work, one is killed
 * with SIGKILL in the middle of a transfer workload (no close, no commit, its open transactions
 * abandoned). Its partitions move to the survivor, which must finish every transfer it finds
 * half-done — exactly once — while no balance ever goes negative and no money appears or
 * vanishes.
 */
@SlowSystemTest
class ProjectorCrashIT {

  private static final Path ROOT = Repository.root();

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  @Test
  void shouldSettleEveryTransferExactlyOnceWhenAProjectorIsKilledMidRun() throws Exception {
    Process doomed = services.startProjectorProcess("p1", ROOT);
    services.startProjectorProcess("p2", ROOT);
    String query = Services.url(services.startQueryService());
    String command = Services.url(services.startCommandService(query));
    Bank bank = Bank.register(command, query, unique("crash"));
    List<String> accounts = bank.open(10, "EUR", "100.00");

    AtomicInteger sent = new AtomicInteger();
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      done.add(CompletableFuture.runAsync(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 40; i++) {
          int from = random.nextInt(accounts.size());
          int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
          String amount = BigDecimal.valueOf(random.nextInt(1, 8001), 2).toPlainString();
          Http.Response answer = bank.transfer(accounts.get(from), accounts.get(to), amount);
          sent.incrementAndGet();
          answers.merge(String.valueOf(answer.status()), 1, Integer::sum);
        }
      }, clients));
    }
    Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= 80);
    doomed.destroyForcibly();                                  // SIGKILL
    assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
    done.forEach(CompletableFuture::join);
    clients.shutdown();

    System.out.println("answers by status around the crash: " + answers);
    assertThat(answers.keySet()).isSubsetOf("201", "202", "422");
    assertThat(answers.get("201")).isPositive();
    bank.awaitTotal(accounts, "1000.00", Duration.ofSeconds(60))
        .forEach((account, balance) -> assertThat(balance).as(account).isNotNegative());
    accounts.forEach(bank::assertStatementFoldsToBalance);
    bank.assertEveryTransferSettledOnce(accounts);
  }
}
