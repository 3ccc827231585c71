package dev.streamledger.system;

import static dev.streamledger.system.support.Http.awaitStatus;
import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transfers end to end: every outcome, and guarantees 2 and 3 (docs/guarantees.md#2-no-negative-balance,
 * #3-transfers-settle-once) under 8 concurrent clients doing 1,000 transfers.
 */
class TransfersIT extends FullStack {

  private String owner;
  private Bank bank;

  @BeforeAll
  void registerOwner() {
    owner = unique("bank");
    assertThat(Http.post(command + "/users", userJson(owner)).status()).isEqualTo(201);
    bank = new Bank(command, query, owner);
  }

  @Test
  void shouldCompleteRejectOrRefundEachTransferExactlyOnce() {
    String a = bank.open("EUR", "10.00");
    String b = bank.open("EUR", null);
    String usd = bank.open("USD", null);

    Http.Response completed = bank.transfer(a, b, "4.00");
    assertThat(completed.status()).isEqualTo(201);
    assertThat(completed.json().get("status").asString()).isEqualTo("COMPLETED");
    String transferId = completed.json().get("transferId").asString();
    assertThat(completed.header("Location")).isEqualTo(query + "/transfers/" + transferId);
    assertThat(awaitStatus(query + "/transfers/" + transferId, 200).json().get("status").asString())
        .isIn("COMPLETED", "PENDING");
    awaitTransfer(transferId, "COMPLETED");

    Http.Response overdraw = bank.transfer(a, b, "100.00");
    assertThat(overdraw.status()).isEqualTo(422);
    assertThat(overdraw.json().get("type").asString()).isEqualTo("/problems/insufficient-funds");
    // RFC 9457: "status" is the HTTP status, a number, once; the transfer's own under its own name
    assertThat(overdraw.json().get("status").isIntegralNumber()).as(overdraw.raw().body()).isTrue();
    assertThat(overdraw.json().get("status").asInt()).isEqualTo(422);
    assertThat(overdraw.json().get("transferStatus").asString()).isEqualTo("REJECTED");

    Http.Response mismatch = bank.transfer(a, usd, "1.00");
    assertThat(mismatch.status()).isEqualTo(422);
    assertThat(mismatch.json().get("type").asString()).isEqualTo("/problems/currency-mismatch");
    assertThat(mismatch.json().get("transferStatus").asString()).isEqualTo("REFUNDED");
    awaitTransfer(mismatch.json().get("transferId").asString(), "REFUNDED");

    Http.Response nowhere = bank.transfer(a, UUID.randomUUID().toString(), "1.00");
    assertThat(nowhere.json().get("type").asString()).isEqualTo("/problems/account-not-found");
    assertThat(nowhere.json().get("transferStatus").asString()).isEqualTo("REFUNDED");

    assertThat(bank.transfer(a, a, "1.00").json().get("type").asString()).isEqualTo("/problems/same-account");

    // opened, deposit, debit 4.00, then two refunded 1.00 transfers (a debit and a refund each)
    assertThat(awaitAccount(a, 7).json().get("balance").asString()).isEqualTo("6.00");
    assertThat(awaitAccount(b, 2).json().get("balance").asString()).isEqualTo("4.00");
  }

  @Test
  void shouldKeepEveryBalanceNonNegativeAndTheSumConstantUnderConcurrentTransfers() {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      accounts.add(bank.open("EUR", "100.00"));
    }
    Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      done.add(CompletableFuture.runAsync(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 125; i++) {
          int fromIndex = random.nextInt(accounts.size());
          String from = accounts.get(fromIndex);
          String to = accounts.get((fromIndex + 1 + random.nextInt(accounts.size() - 1)) % accounts.size());
          // many of these would overdraw: amounts up to 80.00 against balances around 100.00
          String amount = BigDecimal.valueOf(random.nextInt(1, 8001), 2).toPlainString();
          byStatus.merge(bank.transfer(from, to, amount).status(), 1, Integer::sum);
        }
      }, clients));
    }
    done.forEach(CompletableFuture::join);
    clients.shutdown();

    assertThat(byStatus.keySet()).isSubsetOf(201, 422);
    assertThat(byStatus.get(201)).isPositive();
    assertThat(byStatus.get(422)).isPositive();
    BigDecimal sum = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      BigDecimal total = BigDecimal.ZERO;
      for (String account : accounts) {
        Http.Response view = Http.get(query + "/accounts/" + account);
        BigDecimal balance = new BigDecimal(view.json().get("balance").asString());
        assertThat(balance).as("balance of %s", account).isNotNegative();
        total = total.add(balance);
      }
      return total;
    }, total -> total.compareTo(new BigDecimal("1000.00")) == 0);
    assertThat(sum).isEqualByComparingTo("1000.00");
    accounts.forEach(bank::assertStatementFoldsToBalance);
    bank.assertEveryTransferSettledOnce(accounts);
    bank.awaitBalancedBooks("EUR");
  }

  private void awaitTransfer(String transferId, String status) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(query + "/transfers/" + transferId),
        r -> r.status() == 200 && r.json().get("status").asString().equals(status));
  }

  private Http.Response awaitAccount(String account, long version) {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(query + "/accounts/" + account),
        r -> r.status() == 200 && r.json().get("version").asLong() == version);
  }
}
