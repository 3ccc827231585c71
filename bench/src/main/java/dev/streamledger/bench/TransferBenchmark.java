package dev.streamledger.bench;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Transfers between funded accounts against a running stack, then the invariant check: once
 * every transfer has settled, the balances add up to what was deposited and none is negative.
 * Amounts are random up to {@code --max-amount}, so some transfers would overdraw and are
 * refused; every request is a real transfer through all its stages. Like a correct client, each
 * transfer carries a fresh {@code Idempotency-Key} ({@code --keys false} sends none, to measure
 * the unkeyed path). {@code --accounts-out FILE} only opens and funds the accounts and writes
 * their ids to FILE as a JSON array, for other load generators; {@code --accounts-in FILE} uses
 * the funded accounts listed there instead of opening new ones (each holding {@code --funding}),
 * so the same load runs against another service with the same API, such as the PostgreSQL peer
 * a user would pick instead.
 */
public final class TransferBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String command = Options.commandUrl(options);
    String query = Options.queryUrl(options);
    int accountCount = Integer.parseInt(options.getOrDefault("accounts", "20"));
    BigDecimal funding = new BigDecimal(options.getOrDefault("funding", "1000.00"));
    int maxCents = new BigDecimal(options.getOrDefault("max-amount", "150.00")).movePointRight(2).intValueExact();
    Api api = new Api();

    boolean keys = Boolean.parseBoolean(options.getOrDefault("keys", "true"));

    List<String> accounts = options.containsKey("accounts-in")
        ? accountIds(Files.readString(Path.of(options.get("accounts-in"))))
        : api.openAccounts(command, "bench", accountCount, funding);
    accountCount = accounts.size();
    if (options.containsKey("accounts-out")) {
      Files.writeString(Path.of(options.get("accounts-out")),
          accounts.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]\n")));
      System.exit(0);
    }

    LoadRunner runner = new LoadRunner(randomTransfers(api, command, accounts, maxCents, keys),
        Options.cpuMeter(options));
    System.out.print((keys ? "keyed" : "unkeyed") + " transfers between " + accountCount + " accounts: ");
    Options.runStep(runner, options);
    invariants(api, query, accounts, funding.multiply(BigDecimal.valueOf(accountCount)));
    System.exit(0);
  }

  /** The ids in a JSON array of strings. */
  private static List<String> accountIds(String json) {
    return Pattern.compile("\"([^\"]+)\"").matcher(json).results().map(match -> match.group(1)).toList();
  }

  /**
   * Each call sends one transfer of up to {@code maxCents} between two random accounts of
   * {@code accounts}, with a fresh {@code Idempotency-Key} if {@code keys}.
   */
  static Supplier<CompletableFuture<Integer>> randomTransfers(Api api, String command, List<String> accounts,
      int maxCents, boolean keys) {
    return () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int from = random.nextInt(accounts.size());
      int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
      String amount = BigDecimal.valueOf(random.nextInt(1, maxCents + 1), 2).toPlainString();
      return api.postStatus(command + "/transfers", "{\"from\":\"" + accounts.get(from) + "\",\"to\":\""
          + accounts.get(to) + "\",\"amount\":\"" + amount + "\"}", keys ? UUID.randomUUID().toString() : null);
    };
  }

  private static void invariants(Api api, String query, List<String> accounts, BigDecimal deposited)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      BigDecimal sum = BigDecimal.ZERO;
      int negative = 0;
      for (String account : accounts) {
        BigDecimal balance = new BigDecimal(Api.field(api.get(query + "/accounts/" + account).body(), "balance"));
        sum = sum.add(balance);
        negative += balance.signum() < 0 ? 1 : 0;
      }
      boolean settled = sum.compareTo(deposited) == 0;
      if (settled || System.nanoTime() > deadline) {
        System.out.printf("invariants: sum of balances %s (deposited %s) %s, negative balances %d%n",
            sum.toPlainString(), deposited.toPlainString(), settled ? "OK" : "VIOLATED", negative);
        return;
      }
      Thread.sleep(200); // polling a remote view until in-flight transfers settle
    }
  }
}
