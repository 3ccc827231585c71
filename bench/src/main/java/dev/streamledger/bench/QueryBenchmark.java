package dev.streamledger.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Single-key reads ({@code GET /accounts/{id}}) of random accounts against a running stack.
 * Opens {@code --accounts} accounts (default 200) of a new owner first, then reads them; with
 * several query instances, the ones the asked instance does not hold are forwarded. With
 * {@code --transfers R}, transfers between 20 other funded accounts run at R/s from before the
 * reads' warm-up to their end, and their own latency is printed after the reads'.
 */
public final class QueryBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String command = Options.commandUrl(options);
    String query = Options.queryUrl(options);
    int accountCount = Integer.parseInt(options.getOrDefault("accounts", "200"));
    Api api = new Api();

    List<String> accounts = api.openAccounts(command, "reads", accountCount, null);
    for (String account : accounts) { // every account readable before the clock starts
      while (api.get(query + "/accounts/" + account).statusCode() != 200) {
        Thread.onSpinWait();
      }
    }
    Thread transfers = startTransfers(api, command, options);
    LoadRunner runner = new LoadRunner(() -> api.getStatus(query + "/accounts/"
        + accounts.get(ThreadLocalRandom.current().nextInt(accountCount))), Options.cpuMeter(options));
    System.out.print("single-key reads of " + accountCount + " accounts"
        + (transfers == null ? "" : " while transfers run at " + options.get("transfers") + "/s") + ": ");
    Options.runStep(runner, options);
    if (transfers != null) {
      transfers.join();
    }
    System.exit(0);
  }

  /** The background transfers of {@code --transfers R}, already running; null without it. */
  private static Thread startTransfers(Api api, String command, Map<String, String> options) throws Exception {
    int rate = Integer.parseInt(options.getOrDefault("transfers", "0"));
    if (rate <= 0) {
      return null;
    }
    List<String> accounts = api.openAccounts(command, "bench", 20, new BigDecimal("1000.00"));
    LoadRunner runner = new LoadRunner(TransferBenchmark.randomTransfers(api, command, accounts, 15_000, true),
        new CpuMeter(null));
    long warmup = Long.parseLong(options.getOrDefault("warmup", "5"));
    long seconds = Long.parseLong(options.getOrDefault("seconds", "20"));
    Thread thread = new Thread(() -> {
      try {
        // from 5 s before the reads' warm-up to the end of their measurement
        runner.step("fixed", rate, Duration.ofSeconds(5), Duration.ofSeconds(warmup + seconds), null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "transfers");
    thread.start();
    Thread.sleep(5_000);
    return thread;
  }
}
