package dev.streamledger.query.view;

import dev.streamledger.contract.topic.Topics;
import dev.streamledger.query.store.Forwarding;
import dev.streamledger.query.store.ViewStores;
import io.swagger.v3.oas.annotations.Operation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Totals over every account, per currency: the ledger's own check of guarantee 3.
 *
 * <p>Each instance sums the account views of the partitions it actively owns
 * ({@code /audit/local}); {@code /audit} adds up every instance's sums and answers only when
 * every partition was counted exactly once, else {@code 503}. Money leaves an account with the
 * debit and reaches the other with the credit, on another partition, so {@code inFlight}
 * (debited − credited − refunded) is the money between the two, and the books balance when
 * {@code balances = deposited − withdrawn − inFlight}. The views are read one after another,
 * not at one instant: while transfers flow the totals are approximate; at rest, exact.
 */
@RestController
class AuditController {

  private final ViewStores stores;
  private final Forwarding forwarding;

  AuditController(ViewStores stores, Forwarding forwarding) {
    this.stores = stores;
    this.forwarding = forwarding;
  }

  /** One currency's totals over some accounts. */
  record Totals(long accounts, BigDecimal deposited, BigDecimal withdrawn, BigDecimal debited, BigDecimal credited,
      BigDecimal refunded, BigDecimal balances, long negativeBalances, long withoutFlows) {

    static final Totals NONE = new Totals(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, BigDecimal.ZERO, 0, 0);

    Totals plus(Totals other) {
      return new Totals(accounts + other.accounts, deposited.add(other.deposited), withdrawn.add(other.withdrawn),
          debited.add(other.debited), credited.add(other.credited), refunded.add(other.refunded),
          balances.add(other.balances), negativeBalances + other.negativeBalances, withoutFlows + other.withoutFlows);
    }

    static Totals of(AccountView account) {
      BigDecimal balance = new BigDecimal(account.balance());
      AccountView.Flows flows = account.flows() == null ? AccountView.Flows.NONE : account.flows();
      return new Totals(1, flows.deposited(), flows.withdrawn(), flows.debited(), flows.credited(), flows.refunded(),
          balance, balance.signum() < 0 ? 1 : 0, account.flows() == null ? 1 : 0);
    }
  }

  /**
   * What one instance counted: totals by currency, over these partitions, each read as it was
   * after the events before {@code nextOffsets} (see {@link AccountPartitions}).
   */
  record Counted(Map<String, Totals> currencies, Set<Integer> partitions, Map<Integer, Long> nextOffsets) {}

  /**
   * The answer: per currency, the totals and whether the books balance; {@code position}: the
   * event topic and, per partition, the offset up to which (exclusive) the totals include it.
   */
  record Audit(Map<String, Summary> currencies, int partitions, Position position) {}

  record Position(String topic, Map<Integer, Long> nextOffsets) {}

  record Summary(long accounts, BigDecimal deposited, BigDecimal withdrawn, BigDecimal balances, BigDecimal inFlight,
      long negativeBalances, boolean balanced, long accountsWithoutFlows) {

    static Summary of(Totals totals) {
      BigDecimal inFlight = totals.debited().subtract(totals.credited()).subtract(totals.refunded());
      boolean balanced = totals.balances().compareTo(totals.deposited().subtract(totals.withdrawn()).subtract(inFlight))
          == 0;
      return new Summary(totals.accounts(), totals.deposited(), totals.withdrawn(), totals.balances(), inFlight,
          totals.negativeBalances(), balanced, totals.withoutFlows());
    }
  }

  @Operation(summary = "Audit totals of the partitions this instance holds (internal)")
  @GetMapping("/audit/local")
  Counted local() {
    Map<String, Totals> currencies = new TreeMap<>();
    Map<Integer, Long> nextOffsets = new TreeMap<>();
    Set<Integer> partitions = stores.localPartitions(Topics.ACCOUNT_EVENTS);
    for (int partition : partitions) {
      nextOffsets.put(partition, AccountPartitions.forEachAccount(stores, partition,
          account -> currencies.merge(account.currency(), Totals.of(account), Totals::plus)));
    }
    return new Counted(currencies, partitions, nextOffsets);
  }

  @Operation(summary = "Audit totals: deposits, withdrawals, balances, in flight")
  @GetMapping("/audit")
  ResponseEntity<Object> audit() {
    Map<String, Totals> currencies = new TreeMap<>();
    Set<Integer> partitions = new TreeSet<>();
    Map<Integer, Long> nextOffsets = new TreeMap<>();
    int overlaps = 0;
    for (Counted counted : everyInstance()) {
      if (counted == null) {
        return Forwarding.unavailable("an instance did not answer its part of the audit");
      }
      for (int partition : counted.partitions()) {
        overlaps += partitions.add(partition) ? 0 : 1;
      }
      counted.currencies().forEach((currency, totals) -> currencies.merge(currency, totals, Totals::plus));
      nextOffsets.putAll(counted.nextOffsets());
    }
    Set<Integer> all = IntStream.range(0, stores.partitions()).boxed().collect(Collectors.toSet());
    if (overlaps > 0 || !partitions.equals(all)) {
      return Forwarding.unavailable("the views are moving between instances: counted partitions " + partitions);
    }
    Map<String, Summary> summaries = new TreeMap<>();
    currencies.forEach((currency, totals) -> summaries.put(currency, Summary.of(totals)));
    return ResponseEntity.ok(new Audit(summaries, partitions.size(),
        new Position(Topics.ACCOUNT_EVENTS.name(), nextOffsets)));
  }

  private List<Counted> everyInstance() {
    return forwarding.askEach(local(), stores.otherInstances(), "/audit/local", Counted.class);
  }

}
