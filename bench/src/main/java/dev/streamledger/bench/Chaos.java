package dev.streamledger.bench;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Faults against the three-broker stack under a bank workload, and what they did: for each kind
 * of fault, {@code --rounds} times in a row (two unless set), while clients keep transferring with
 * {@code Idempotency-Key}s and retry every answer that is not definite; after the rounds of a
 * kind the clients come to rest and the whole ledger is checked ({@link Ledger}). Prints a line
 * per round and a table per kind: transfers attempted, definite answers, retries, the longest
 * time a transfer waited for a definite answer, the time until the cluster was whole again, and
 * the invariant checks. The schedule runs once, then again as long as another pass fits in
 * {@code --minutes}. Exits 1 if any check failed. Run by {@code bin/chaos}, which starts the
 * stack; {@code --stack-data} is that stack's data directory (see {@link Cluster}).
 *
 * <p>The kinds ({@code --faults}, all by default, in this order):
 * <ul>
 *   <li>{@code broker-kill}: SIGKILL of the broker leading the most command and event partitions,
 *       right after a client was answered {@code 201} (the events behind that answer must
 *       survive), kept down {@code --fault-seconds}, then started again;</li>
 *   <li>{@code broker-pause}: SIGSTOP of that broker for {@code --fault-seconds} (longer than its
 *       session timeout, 9 s), then SIGCONT;</li>
 *   <li>{@code partition}: the active controller's link down for {@code --fault-seconds}: cut off
 *       from the other brokers and from every client, then healed;</li>
 *   <li>{@code projector-kill}: SIGKILL of one projector instance in the middle of its
 *       transactions while the other runs on, started again after {@code --fault-seconds};</li>
 *   <li>{@code rolling-restart}: every broker in turn stopped (SIGTERM) and started again, the
 *       next once all replicas are back in sync, as an upgrade would;</li>
 *   <li>{@code two-brokers-down}: SIGKILL of two of the three brokers for {@code --fault-seconds}
 *       (at least 40 s, beyond the command service's delivery timeout):
 *       no write can be replicated, so no transfer begun then may be answered {@code 201};
 *       the stack must recover by itself once they are back.</li>
 * </ul>
 */
public final class Chaos {

  static final List<String> KINDS = List.of("broker-kill", "broker-pause", "partition", "projector-kill",
      "rolling-restart", "two-brokers-down");
  private static final List<String> BUSY_TOPICS = List.of("streamledger.account-commands.v1",
      "streamledger.account-events.v1");
  private static final Duration WHOLE_WITHIN = Duration.ofMinutes(5);
  /** How long clients may take to get a definite answer once no new transfers begin. */
  private static final Duration QUIESCE_WITHIN = Duration.ofMinutes(3);
  /**
   * How long two brokers stay down: longer than the command service's 30 s delivery timeout, so
   * commands begun meanwhile are answered {@code 503}, not only delayed.
   */
  private static final Duration TWO_DOWN_AT_LEAST = Duration.ofSeconds(40);

  /** One round of a fault: what was done, and how long the cluster took to be whole again after it. */
  record Round(String kind, String what, Duration recovery) {}

  private final Cluster cluster;
  private final BankWorkload workload;
  private final Duration faultTime;
  private final Duration settleTime;
  private final List<String> projectors;
  private final List<String> findings = new ArrayList<>();

  private Chaos(Cluster cluster, BankWorkload workload, Duration faultTime, Duration settleTime, List<String> projectors) {
    this.cluster = cluster;
    this.workload = workload;
    this.faultTime = faultTime;
    this.settleTime = settleTime;
    this.projectors = projectors;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    Path data = Path.of(options.get("stack-data"));
    List<String> kinds = Arrays.asList(options.getOrDefault("faults", String.join(",", KINDS)).split(","));
    kinds.stream().filter(kind -> !KINDS.contains(kind)).findFirst().ifPresent(kind -> {
      throw new IllegalArgumentException("no fault " + kind + "; the kinds are " + KINDS);
    });
    int roundsPerKind = Integer.parseInt(options.getOrDefault("rounds", "2"));
    Duration minutes = Duration.ofMinutes(Long.parseLong(options.getOrDefault("minutes", "0")));
    Duration faultTime = Duration.ofSeconds(Long.parseLong(options.getOrDefault("fault-seconds", "20")));
    Duration settleTime = Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle-seconds", "10")));
    List<String> readiness = Arrays.asList(options.get("ready-urls").split(","));
    BigDecimal funding = new BigDecimal("1000.00");
    List<String> projectors;
    try (Stream<Path> pids = Files.list(data.resolve("pids"))) {
      projectors = pids.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("projector")).sorted().toList();
    }

    Api api = new Api();
    try (Cluster cluster = new Cluster(data, readiness)) {
      cluster.awaitWhole("the cluster whole before the first fault", WHOLE_WITHIN);
      List<String> accounts = api.openAccounts(Options.commandUrl(options), "chaos",
          Integer.parseInt(options.getOrDefault("accounts", "20")), funding);
      var workload = new BankWorkload(api, Options.commandUrl(options), accounts,
          Integer.parseInt(options.getOrDefault("clients", "8")),
          new BigDecimal(options.getOrDefault("max-amount", "300.00")).movePointRight(2).intValueExact());
      var ledger = new Ledger(api, Options.queryUrl(options), accounts, funding);
      var chaos = new Chaos(cluster, workload, faultTime, settleTime, projectors);
      Map<String, List<Round>> rounds = new LinkedHashMap<>();
      Map<String, List<String>> found = new LinkedHashMap<>();
      workload.phase("warm-up");
      workload.start();
      Thread.sleep(settleTime.toMillis()); // load before the first fault
      long start = System.nanoTime();
      long pass = 0;
      // the schedule once, then again while another pass fits in --minutes
      while (rounds.isEmpty() || System.nanoTime() - start + pass < minutes.toNanos()) {
        long passStart = System.nanoTime();
        for (String kind : kinds) {
          workload.phase(kind);
          for (int round = 1; round <= roundsPerKind; round++) {
            Round done = chaos.round(kind, round);
            rounds.computeIfAbsent(kind, k -> new ArrayList<>()).add(done);
            System.out.printf("%-17s round %d: %s; whole again after %.1f s%n", kind,
                rounds.get(kind).size(), done.what(), done.recovery().toMillis() / 1000.0);
            Thread.sleep(settleTime.toMillis()); // load on the whole cluster before the next round
          }
          workload.quiesce(QUIESCE_WITHIN);
          List<String> findings = new ArrayList<>(chaos.findings);
          chaos.findings.clear();
          findings.addAll(ledger.check(workload.transfers(), Duration.ofMinutes(2)));
          found.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(findings);
          System.out.printf("%s: ledger checked, %s; answers so far %s%n", kind,
              findings.isEmpty() ? "every invariant held" : "VIOLATED", new java.util.TreeMap<>(workload.phaseStats(kind).answers));
          findings.stream().limit(20).forEach(finding -> System.out.println("  finding: " + finding));
          workload.phase("between faults");
          workload.resume();
        }
        pass = System.nanoTime() - passStart;
      }
      workload.stop(QUIESCE_WITHIN);
      // and once more at the end: what was sent after the last kind's check is in the ledger too
      List<String> last = ledger.check(workload.transfers(), Duration.ofMinutes(2));
      System.out.printf("at the end: ledger checked, %s%n", last.isEmpty() ? "every invariant held" : "VIOLATED");
      last.stream().limit(20).forEach(finding -> System.out.println("  finding: " + finding));
      found.get(kinds.get(kinds.size() - 1)).addAll(last);
      List<Report> reports = rounds.keySet().stream()
          .map(kind -> Report.of(kind, rounds.get(kind), workload, found.get(kind))).toList();
      System.out.println();
      System.out.println(Report.table(reports));
      boolean clean = reports.stream().allMatch(report -> report.findings().isEmpty());
      System.out.println(clean ? "chaos: every invariant held" : "chaos: INVARIANTS VIOLATED");
      System.exit(clean ? 0 : 1);
    }
  }

  private Round round(String kind, int round) throws Exception {
    String what;
    switch (kind) {
      case "broker-kill" -> {
        Cluster.Broker leader = cluster.busiestLeader(BUSY_TOPICS);
        BankWorkload.Transfer before = workload.lastCompleted();
        Cluster.await("a transfer answered 201", Duration.ofMinutes(1),
            () -> workload.lastCompleted() != null && workload.lastCompleted() != before);
        long pid = cluster.kill(leader.name());
        what = "SIGKILL " + leader.name() + " (pid " + pid + ", leading the most command and event partitions) right after a 201";
        Thread.sleep(faultTime.toMillis());
        cluster.release(leader.name());
      }
      case "broker-pause" -> {
        Cluster.Broker leader = cluster.busiestLeader(BUSY_TOPICS);
        cluster.signal(leader.name(), "STOP");
        Thread.sleep(faultTime.toMillis());
        cluster.signal(leader.name(), "CONT");
        what = "SIGSTOP " + leader.name() + " for " + faultTime.toSeconds() + " s, then SIGCONT";
      }
      case "partition" -> {
        Cluster.Broker controller = cluster.broker(cluster.activeController());
        cluster.link(controller, false);
        Thread.sleep(faultTime.toMillis());
        cluster.link(controller, true);
        what = controller.name() + " (the active controller) cut off for " + faultTime.toSeconds() + " s";
      }
      case "projector-kill" -> {
        String projector = projectors.get((round - 1) % projectors.size());
        long pid = cluster.kill(projector);
        Thread.sleep(faultTime.toMillis());
        cluster.release(projector);
        what = "SIGKILL " + projector + " (pid " + pid + "), down " + faultTime.toSeconds() + " s"
            + (projectors.size() > 1 ? " while another ran" : " (the only instance)");
      }
      case "rolling-restart" -> {
        StringBuilder steps = new StringBuilder();
        for (Cluster.Broker broker : cluster.brokers()) {
          long stopping = System.nanoTime();
          cluster.stop(broker.name(), Duration.ofMinutes(1));
          Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
          cluster.release(broker.name());
          Duration back = cluster.awaitWhole(broker.name() + " back and in sync", WHOLE_WITHIN);
          steps.append(String.format("%s%s stopped in %.1f s, back in sync %.1f s later", steps.isEmpty() ? "" : "; ",
              broker.name(), stopped.toMillis() / 1000.0, back.toMillis() / 1000.0));
        }
        what = "every broker stopped and started again in turn (" + steps + ")";
      }
      case "two-brokers-down" -> {
        Cluster.Broker first = cluster.busiestLeader(BUSY_TOPICS);
        Cluster.Broker second = cluster.brokers().stream().filter(b -> b != first).findFirst().orElseThrow();
        cluster.kill(first.name());
        cluster.kill(second.name());
        long down = System.nanoTime();
        Thread.sleep(Math.max(faultTime.toMillis(), TWO_DOWN_AT_LEAST.toMillis()));
        long up = System.nanoTime();
        cluster.release(first.name());
        cluster.release(second.name());
        // a transfer begun a second after both were gone cannot be replicated: it must not be a 201
        for (BankWorkload.Transfer transfer : workload.transfers()) {
          if (transfer.status == 201 && transfer.firstSent > down + 1_000_000_000L && transfer.answeredAt < up) {
            // (status is written last: its answeredAt is set)
            findings.add("transfer " + transfer.transferId + " was answered 201 while two brokers were down");
          }
        }
        what = "SIGKILL " + first.name() + " and " + second.name() + ", down "
            + TimeUnit.NANOSECONDS.toSeconds(up - down) + " s";
      }
      default -> throw new IllegalArgumentException(kind);
    }
    Duration recovery = cluster.awaitWhole("the cluster whole after " + kind, WHOLE_WITHIN);
    return new Round(kind, what, recovery);
  }

  /** The figures of one kind of fault, over all its rounds. */
  record Report(String kind, int rounds, long attempted, long completed, long rejected, long retries,
      long unavailable, long pending, long failedConnections, long longestWaitMillis, Duration longestRecovery,
      List<String> findings) {

    static Report of(String kind, List<Round> rounds, BankWorkload workload, List<String> findings) {
      List<BankWorkload.Transfer> mine = workload.transfers().stream().filter(t -> t.phase.equals(kind)).toList();
      BankWorkload.Phase stats = workload.phaseStats(kind);
      return new Report(kind, rounds.size(), mine.size(),
          mine.stream().filter(t -> t.status == 201).count(),
          mine.stream().filter(t -> t.status == 422).count(),
          mine.stream().mapToLong(t -> t.attempts.get() - 1).sum(),
          stats.count("503 kafka-unavailable", "503", "500", "502", "504"),
          stats.count("202 pending", "409 key in use"),
          stats.count("connection failed"),
          mine.stream().mapToLong(BankWorkload.Transfer::waitedMillis).max().orElse(0),
          rounds.stream().map(Round::recovery).max(Duration::compareTo).orElse(Duration.ZERO),
          List.copyOf(findings));
    }

    String line() {
      return String.format("%s: %d transfers, %d answered 201, %d answered 422, %d retries, longest wait %.1f s: %s",
          kind, attempted, completed, rejected, retries, longestWaitMillis / 1000.0,
          findings.isEmpty() ? "every invariant held" : findings.size() + " findings");
    }

    static String table(List<Report> reports) {
      StringBuilder table = new StringBuilder(
          "| fault | rounds | transfers | 201 | 422 | retries | 5xx answers | 202/409 answers | failed connections | longest wait for a definite answer | whole again within | invariants |\n"
              + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Report r : reports) {
        table.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %.1f s | %.1f s | %s |%n", r.kind,
            r.rounds, r.attempted, r.completed, r.rejected, r.retries, r.unavailable, r.pending, r.failedConnections,
            r.longestWaitMillis / 1000.0, r.longestRecovery.toMillis() / 1000.0,
            r.findings.isEmpty() ? "all held" : r.findings.size() + " VIOLATED"));
      }
      return table.toString();
    }
  }
}
