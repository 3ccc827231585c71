package dev.streamledger.system;

import static dev.streamledger.system.support.Http.awaitStatus;
import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Concurrently;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Accounts end to end; guarantee 2 (no balance below zero; docs/guarantees.md#2-no-negative-balance)
 * under concurrent withdrawals.
 */
class AccountsIT extends FullStack {


  @Test
  void shouldNeverOverdrawUnderConcurrentWithdrawals() throws Exception {
    String owner = register();
    String account = open(owner, "EUR");
    assertThat(Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"10.00\"}").status())
        .isEqualTo(201);

    Map<Integer, Long> byStatus = Concurrently.send(20,
            i -> Http.post(command + "/accounts/" + account + "/withdrawals", "{\"amount\":\"1.00\"}"))
        .stream().collect(Collectors.groupingBy(Http.Response::status, Collectors.counting()));

    assertThat(byStatus).containsOnly(Map.entry(201, 10L), Map.entry(422, 10L));
    Http.Response view = awaitVersion(account, 12);
    assertThat(view.json().get("balance").asString()).isEqualTo("0.00");
    assertThat(view.json().get("owner").asString()).isEqualTo(owner);
  }

  @Test
  void shouldAnswerEachAccountCommandWithItsOutcome() {
    String owner = register();
    String account = open(owner, "JPY");

    Http.Response deposited = Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"1200\"}");
    assertThat(deposited.status()).isEqualTo(201);
    assertThat(deposited.json().get("balance").asString()).isEqualTo("1200");
    assertThat(deposited.json().get("version").asLong()).isEqualTo(2);

    Http.Response overdrawn = Http.post(command + "/accounts/" + account + "/withdrawals", "{\"amount\":\"1201\"}");
    assertThat(overdrawn.status()).isEqualTo(422);
    assertThat(overdrawn.json().get("type").asString()).isEqualTo("/problems/insufficient-funds");
    assertThat(Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"1.5\"}").json()
        .get("type").asString()).isEqualTo("/problems/invalid-amount");
    assertThat(Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"-1\"}").status())
        .isEqualTo(400);
    assertThat(Http.post(command + "/accounts/" + UUID.randomUUID() + "/deposits", "{\"amount\":\"1\"}").status())
        .isEqualTo(404);
    assertThat(Http.post(command + "/accounts/not-a-uuid/deposits", "{\"amount\":\"1\"}").status()).isEqualTo(400);

    assertThat(Http.delete(command + "/users/" + owner).status()).isEqualTo(409);
    Http.Response user = awaitStatus(query + "/users/" + owner, 200);
    assertThat(user.json().get("accountIds").get(0).asString()).isEqualTo(account);
  }

  @Test
  void shouldAnswerAtOnceWhenTheClientPrefersNotToWaitAndShowTheOutcomeAtTheStatusUrl() {
    String account = open(register(), "EUR");
    Http.Response pending = Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"2.50\"}",
        java.util.Map.of("Prefer", "wait=0"));
    assertThat(pending.status()).isEqualTo(202);
    assertThat(pending.header("Preference-Applied")).isEqualTo("wait=0");
    Http.Response outcome = awaitStatus(pending.header("Location"), 200);
    assertThat(outcome.json().get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(outcome.json().at("/data/balance").asString()).isEqualTo("2.50");
    awaitVersion(account, 2);
  }

  @Test
  void shouldRefuseAccountsForUnknownOwnersAndCurrencies() {
    Http.Response unknownOwner = Http.post(command + "/accounts",
        "{\"owner\":\"" + unique("ghost") + "\",\"currency\":\"EUR\"}");
    assertThat(unknownOwner.status()).isEqualTo(422);
    assertThat(unknownOwner.json().get("type").asString()).isEqualTo("/problems/owner-not-found");
    assertThat(Http.post(command + "/accounts", "{\"owner\":\"" + register() + "\",\"currency\":\"XYZ\"}").status())
        .isEqualTo(400);
  }

  private String register() {
    String name = unique("acct");
    assertThat(Http.post(command + "/users", userJson(name)).status()).isEqualTo(201);
    return name;
  }

  private String open(String owner, String currency) {
    Http.Response opened = Http.post(command + "/accounts",
        "{\"owner\":\"" + owner + "\",\"currency\":\"" + currency + "\"}");
    assertThat(opened.status()).isEqualTo(201);
    assertThat(opened.json().get("balance").asString()).isIn("0.00", "0");
    String account = opened.json().get("accountId").asString();
    assertThat(opened.header("Location")).isEqualTo(query + "/accounts/" + account);
    return account;
  }

  private Http.Response awaitVersion(String account, long version) {
    return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> Http.get(query + "/accounts/" + account),
            r -> r.status() == 200 && r.json().get("version").asLong() == version);
  }

}
