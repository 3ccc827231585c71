package dev.streamledger.system.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** A client of the ledger for tests: accounts, transfers, and the invariant checks on them. */
public final class Bank {

  private final String command;
  private final String query;
  private final String owner;
  /** The owner's {@code Authorization}: empty for the tests' operator, {@link Http#TESTER}. */
  private final Map<String, String> as;

  public Bank(String command, String query, String owner) {
    this(command, query, owner, Map.of());
  }

  private Bank(String command, String query, String owner, Map<String, String> as) {
    this.command = command;
    this.query = query;
    this.owner = owner;
    this.as = as;
  }

  /** Registers {@code owner} at the command service {@code command}; a bank of its accounts. */
  public static Bank register(String command, String query, String owner) {
    return register(command, query, owner, Map.of());
  }

  /**
   * ... as the subject whose {@code Authorization} is {@code as} ({@link Http#as}): the owner's
   * requests carry it; deposits are made by the tests' operator.
   */
  public static Bank register(String command, String query, String owner, Map<String, String> as) {
    assertThat(Http.post(command + "/users", Http.userJson(owner), as).status()).isEqualTo(201);
    return new Bank(command, query, owner, as);
  }

  /** Opens {@code count} accounts, each with a deposit of {@code deposit} unless it is null. */
  public List<String> open(int count, String currency, String deposit) {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      accounts.add(open(currency, deposit));
    }
    return accounts;
  }

  public String open(String currency, String deposit) {
    Http.Response opened = Http.post(command + "/accounts",
        "{\"owner\":\"" + owner + "\",\"currency\":\"" + currency + "\"}", as);
    assertThat(opened.status()).isEqualTo(201);
    String account = opened.json().get("accountId").asString();
    if (deposit != null) {
      assertThat(Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"" + deposit + "\"}")
          .status()).isEqualTo(201);
    }
    return account;
  }

  public String owner() {
    return owner;
  }

  public Http.Response transfer(String from, String to, String amount) {
    return Http.post(command + "/transfers",
        "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":\"" + amount + "\"}", as);
  }

  /**
   * Waits until the balances of {@code accounts} add up to {@code expected}, then returns them.
   * A view that is not ready ({@code 503} while instances rebalance) is asked again, and so is
   * one that has not yet folded in an account just opened ({@code 404}: these reads carry no
   * {@code Consistency-Token}).
   */
  public Map<String, BigDecimal> awaitTotal(List<String> accounts, String expected, Duration within) {
    return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
      Map<String, BigDecimal> balances = new HashMap<>();
      for (String account : accounts) {
        Http.Response view = Http.get(query + "/accounts/" + account);
        if (view.status() == 503 || view.status() == 404) {
          return null;
        }
        assertThat(view.status()).as("account %s", account).isEqualTo(200);
        balances.put(account, new BigDecimal(view.json().get("balance").asString()));
      }
      return balances;
    }, balances -> balances != null && balances.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
        .compareTo(new BigDecimal(expected)) == 0);
  }

  /** The whole statement of {@code account}, page by page. */
  public List<JsonNode> statement(String account) {
    List<JsonNode> rows = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = Http.get(query + "/accounts/" + account + "/statement?afterVersion=" + after + "&limit=100")
          .json();
      page.get("entries").forEach(rows::add);
      if (page.get("nextAfterVersion").isNull()) {
        return rows;
      }
      after = page.get("nextAfterVersion").asLong();
    }
  }

  /**
   * Every row of the statement is non-negative, versions run 1, 2, 3 … without a gap, each
   * balance is the running sum of the amounts before it, and the last is the account's balance.
   */
  public void assertStatementFoldsToBalance(String account) {
    JsonNode view = Http.get(query + "/accounts/" + account).json();
    BigDecimal running = BigDecimal.ZERO;
    long expectedVersion = 1;
    for (JsonNode row : statement(account)) {
      assertThat(row.get("version").asLong()).isEqualTo(expectedVersion++);
      running = running.add(new BigDecimal(row.get("amount").asString()));
      assertThat(new BigDecimal(row.get("balanceAfter").asString()))
          .as("row %d of %s", row.get("version").asLong(), account).isNotNegative().isEqualByComparingTo(running);
    }
    assertThat(expectedVersion - 1).isEqualTo(view.get("version").asLong());
    assertThat(running).isEqualByComparingTo(view.get("balance").asString());
  }

  /** Each transfer was debited at most once, and every debit was credited or refunded exactly once. */
  public void assertEveryTransferSettledOnce(List<String> accounts) {
    Map<String, Map<String, Integer>> kinds = new HashMap<>();
    for (String account : accounts) {
      for (JsonNode row : statement(account)) {
        if (!row.get("transferId").isNull()) {
          kinds.computeIfAbsent(row.get("transferId").asString(), id -> new HashMap<>())
              .merge(row.get("kind").asString(), 1, Integer::sum);
        }
      }
    }
    kinds.forEach((transferId, counts) -> {
      int debited = counts.getOrDefault("TransferDebited", 0);
      int settled = counts.getOrDefault("TransferCredited", 0) + counts.getOrDefault("TransferRefunded", 0);
      assertThat(debited).as("debits of %s", transferId).isEqualTo(1);
      assertThat(settled).as("credits and refunds of %s", transferId).isEqualTo(1);
    });
  }

  /**
   * Waits until the query service's audit of {@code currency} over every account shows the books
   * balanced at rest — nothing in flight, no negative balance, every account counted with its
   * flows — and returns that currency's summary.
   */
  public JsonNode awaitBalancedBooks(String currency) {
    JsonNode audit = Awaitility.await("balanced books").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Http.get(query + "/audit"), answer -> answer.status() == 200
            && answer.json().get("currencies").has(currency)
            && answer.json().get("currencies").get(currency).get("inFlight").decimalValue().signum() == 0)
        .json();
    JsonNode books = audit.get("currencies").get(currency);
    assertThat(audit.get("partitions").asInt()).isEqualTo(6);
    assertThat(books.get("balanced").asBoolean()).as("balances = deposited - withdrawn: %s", books).isTrue();
    assertThat(books.get("negativeBalances").asLong()).isZero();
    assertThat(books.get("accountsWithoutFlows").asLong()).isZero();
    return books;
  }

  public String query() {
    return query;
  }
}
