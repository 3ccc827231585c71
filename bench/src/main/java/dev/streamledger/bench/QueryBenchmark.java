package dev.streamledger.bench;

import java.util.ArrayList;
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
    String command = options.getOrDefault("url", "http://127.0.0.1:8080").replaceAll("/+$", "");
    String query = options.getOrDefault("query-url", "http://127.0.0.1:8081").replaceAll("/+$", "");
    int accountCount = Integer.parseInt(options.getOrDefault("accounts", "200"));
    Api api = new Api();

    String owner = "reads" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    require(api.postBlocking(command + "/users", "{\"username\":\"" + owner + "\"}").statusCode(), "register");
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < accountCount; i++) {
      var opened = api.postBlocking(command + "/accounts", "{\"owner\":\"" + owner + "\",\"currency\":\"EUR\"}");
      require(opened.statusCode(), "open account");
      accounts.add(Api.field(opened.body(), "accountId"));
    }
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

  private static void require(int status, String what) {
    if (status != 201) {
      throw new IllegalStateException(what + " answered " + status);
    }
  }
}
