package dev.streamledger.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invariants of the ledger, checked from outside through the query service once the
 * workload is at rest, against what the clients were answered. Each finding is a sentence; none
 * means every check held:
 * <ul>
 *   <li>the audit: money conserved per currency, nothing in flight, no negative balance;</li>
 *   <li>every statement folds: versions 1, 2, 3 … without a gap, every row's balance the running
 *       sum and never negative, the last the account's balance and version;</li>
 *   <li>the balances add up to what was deposited, and each is its funding plus the
 *       {@code 201}-answered transfers into it minus those out of it;</li>
 *   <li>every transfer in the ledger was debited once and credited or refunded once; every
 *       {@code 201} was debited from its source and credited to its destination; every
 *       {@code 422 REJECTED} left no trace; no transfer is in the ledger that no client was
 *       answered {@code 201} (or {@code 422 REFUNDED}) for — every request decided exactly once.</li>
 * </ul>
 */
final class Ledger {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Api api;
  private final String query;
  private final List<String> accounts;
  private final BigDecimal funding;

  Ledger(Api api, String query, List<String> accounts, BigDecimal funding) {
    this.api = api;
    this.query = query;
    this.accounts = List.copyOf(accounts);
    this.funding = funding;
  }

  /**
   * The findings; empty when the ledger is exact. The views fold the last stages a moment after
   * the last answer, so the ledger is read again (up to {@code within}) while it shows findings:
   * a view behind the answers catches up, a real violation stays.
   */
  List<String> check(List<BankWorkload.Transfer> transfers, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      List<String> findings = checkOnce(transfers, within);
      if (findings.isEmpty() || System.nanoTime() > deadline) {
        return findings;
      }
      Thread.sleep(1_000); // the views are still folding what was answered
    }
  }

  private List<String> checkOnce(List<BankWorkload.Transfer> transfers, Duration within) throws InterruptedException {
    List<String> findings = new ArrayList<>();
    for (BankWorkload.Transfer transfer : transfers) {
      if (!transfer.answered()) {
        findings.add("transfer " + transfer.key + " has no definite answer");
      } else if (transfer.status != 201 && transfer.status != 422) {
        findings.add("transfer " + transfer.key + " was answered " + transfer.status + ": " + transfer.body);
      }
    }
    JsonNode books = awaitSettled(within, findings);
    if (books != null) {
      if (!books.get("balanced").asBoolean()) {
        findings.add("the audit is not balanced: " + books);
      }
      if (books.get("negativeBalances").asLong() != 0) {
        findings.add("the audit counts negative balances: " + books);
      }
    }

    Map<String, BigDecimal> expected = new HashMap<>();
    accounts.forEach(account -> expected.put(account, funding));
    Set<String> answeredCompleted = new HashSet<>();
    Set<String> answeredRefunded = new HashSet<>();
    Set<String> answeredRejected = new HashSet<>();
    for (BankWorkload.Transfer transfer : transfers) {
      if (transfer.status == 201) {
        answeredCompleted.add(transfer.transferId);
        expected.merge(transfer.from, transfer.amount.negate(), BigDecimal::add);
        expected.merge(transfer.to, transfer.amount, BigDecimal::add);
      } else if (transfer.status == 422 && "REFUNDED".equals(transfer.outcome)) {
        answeredRefunded.add(transfer.transferId);
      } else if (transfer.status == 422) {
        answeredRejected.add(transfer.transferId);
      }
    }

    BigDecimal total = BigDecimal.ZERO;
    Map<String, Map<String, Integer>> stages = new HashMap<>();
    Map<String, String> debitedFrom = new HashMap<>();
    Map<String, String> creditedTo = new HashMap<>();
    for (String account : accounts) {
      JsonNode view = read("/accounts/" + account);
      BigDecimal balance = new BigDecimal(view.get("balance").asString());
      total = total.add(balance);
      BigDecimal running = BigDecimal.ZERO;
      long version = 0;
      for (JsonNode row : statement(account)) {
        long rowVersion = row.get("version").asLong();
        if (rowVersion != version + 1) {
          findings.add(account + ": statement version " + rowVersion + " follows " + version);
        }
        version = rowVersion;
        running = running.add(new BigDecimal(row.get("amount").asString()));
        BigDecimal after = new BigDecimal(row.get("balanceAfter").asString());
        if (after.signum() < 0) {
          findings.add(account + ": negative balance " + after + " at version " + rowVersion);
        }
        if (after.compareTo(running) != 0) {
          findings.add(account + ": balance " + after + " at version " + rowVersion + " is not the running sum " + running);
        }
        if (!row.get("transferId").isNull()) {
          String id = row.get("transferId").asString();
          String kind = row.get("kind").asString();
          stages.computeIfAbsent(id, k -> new HashMap<>()).merge(kind, 1, Integer::sum);
          if (kind.equals("TransferDebited")) {
            debitedFrom.put(id, account);
          } else if (kind.equals("TransferCredited")) {
            creditedTo.put(id, account);
          }
        }
      }
      if (version != view.get("version").asLong() || running.compareTo(balance) != 0) {
        findings.add(account + ": the statement ends at version " + version + " with " + running
            + ", the account is at version " + view.get("version").asLong() + " with " + balance);
      }
      if (balance.compareTo(expected.get(account)) != 0) {
        findings.add(account + ": balance " + balance + ", but the 201-answered transfers make it " + expected.get(account));
      }
    }
    BigDecimal deposited = funding.multiply(BigDecimal.valueOf(accounts.size()));
    if (total.compareTo(deposited) != 0) {
      findings.add("the balances add up to " + total + ", " + deposited + " was deposited");
    }

    stages.forEach((id, kinds) -> {
      int debits = kinds.getOrDefault("TransferDebited", 0);
      int settled = kinds.getOrDefault("TransferCredited", 0) + kinds.getOrDefault("TransferRefunded", 0);
      if (debits != 1 || settled != 1) {
        findings.add("transfer " + id + ": " + debits + " debits, " + settled + " credits and refunds");
      }
      if (!answeredCompleted.contains(id) && !answeredRefunded.contains(id)) {
        findings.add("transfer " + id + " is in the ledger, but no client was answered 201 for it");
      }
    });
    for (BankWorkload.Transfer transfer : transfers) {
      if (transfer.status == 201 && (!transfer.from.equals(debitedFrom.get(transfer.transferId))
          || !transfer.to.equals(creditedTo.get(transfer.transferId)))) {
        findings.add("transfer " + transfer.transferId + " was answered 201 but is not debited from "
            + transfer.from + " and credited to " + transfer.to);
      }
    }
    for (String id : answeredRejected) {
      if (stages.containsKey(id)) {
        findings.add("transfer " + id + " was answered 422 but left " + stages.get(id));
      }
    }
    return findings;
  }

  /** The audit's EUR books once nothing is in flight, or null (and a finding) if that does not come. */
  private JsonNode awaitSettled(Duration within, List<String> findings) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode books = null;
    while (System.nanoTime() < deadline) {
      Api.Response audit = api.get(query + "/audit");
      if (audit.statusCode() == 200) {
        books = JSON.readTree(audit.body()).path("currencies").path("EUR");
        if (!books.isMissingNode() && books.get("inFlight").decimalValue().signum() == 0) {
          return books;
        }
      }
      Thread.sleep(250); // the views fold the last stages
    }
    findings.add("money still in flight after " + within.toSeconds() + " s at rest: " + books);
    return books;
  }

  private JsonNode read(String path) {
    for (int tries = 0; ; tries++) {
      Api.Response answer = api.get(query + path);
      if (answer.statusCode() == 200) {
        return JSON.readTree(answer.body());
      }
      if (tries > 100) {
        throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
      }
      try {
        Thread.sleep(200); // a view that is not ready (503) while instances rebalance
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private List<JsonNode> statement(String account) {
    List<JsonNode> rows = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = read("/accounts/" + account + "/statement?afterVersion=" + after + "&limit=500");
      page.get("entries").forEach(rows::add);
      if (page.get("nextAfterVersion").isNull()) {
        return rows;
      }
      after = page.get("nextAfterVersion").asLong();
    }
  }
}
