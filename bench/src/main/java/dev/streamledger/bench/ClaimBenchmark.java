package dev.streamledger.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Username claims against a running command service, as a client sees them: HTTP in, the
 * outcome of that claim out. Every claim is for a fresh name, except that one in
 * {@code --conflict-every} claims repeats a name just claimed, so both outcomes ({@code 201},
 * {@code 409}) are exercised.
 */
public final class ClaimBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String users = Options.commandUrl(options) + "/users";
    int conflictEvery = Integer.parseInt(options.getOrDefault("conflict-every", "10"));
    String runId = Long.toString(System.nanoTime() % 46_656L * 36 + new Random().nextInt(36), 36);
    AtomicLong sequence = new AtomicLong();
    boolean keys = Boolean.parseBoolean(options.getOrDefault("keys", "true"));
    Api api = new Api();
    LoadRunner runner = new LoadRunner(() -> {
      long n = sequence.incrementAndGet();
      long nameNumber = conflictEvery > 0 && n % conflictEvery == 0 ? n - 1 : n;
      return api.postStatus(users, "{\"username\":\"b" + runId + "-" + Long.toString(nameNumber, 36) + "\"}",
          keys ? UUID.randomUUID().toString() : null);
    }, Options.cpuMeter(options));
    System.out.print((keys ? "keyed" : "unkeyed") + " claims against " + users + ": ");
    Options.runStep(runner, options);
    System.exit(0);
  }
}
