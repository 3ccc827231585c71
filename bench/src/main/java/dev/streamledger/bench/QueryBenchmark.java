package dev.streamledger.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Single-key reads ({@code GET /accounts/{id}}) of random accounts against a running stack.
 * Opens {@code --accounts} accounts (default 200) of a new owner first, then reads them; with
 * several query instances, the ones the asked instance does not hold are forwarded.
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
    LoadRunner runner = new LoadRunner(() -> api.getStatus(query + "/accounts/"
        + accounts.get(ThreadLocalRandom.current().nextInt(accountCount))), Options.cpuMeter(options));
    System.out.print("single-key reads of " + accountCount + " accounts: ");
    Options.runStep(runner, options);
    System.exit(0);
  }
}
