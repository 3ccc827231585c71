package dev.streamledger.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients of a bank that behave as the API tells them to: every transfer has its own
 * {@code Idempotency-Key}, and an answer that is not definite — {@code 202} pending, {@code 409}
 * key in use, {@code 429}, a {@code 5xx}, a connection that failed or timed out — is retried with
 * the same key and body until the answer is definite: {@code 201} (it happened) or {@code 422}
 * (it did not, or it was refunded). Anything else is unexpected, and a finding. Amounts are
 * random up to {@code maxCents}, so some transfers would overdraw and are refused.
 */
final class BankWorkload {

  /** One transfer, from its first sending to its definite answer. */
  static final class Transfer {
    final String key = UUID.randomUUID().toString();
    final String phase;
    final String from;
    final String to;
    final BigDecimal amount;
    final long firstSent = System.nanoTime();
    volatile long answeredAt;
    volatile int status;
    volatile String transferId;
    volatile String outcome; // COMPLETED, REJECTED, REFUNDED
    volatile String body;
    final AtomicInteger attempts = new AtomicInteger();

    Transfer(String phase, String from, String to, BigDecimal amount) {
      this.phase = phase;
      this.from = from;
      this.to = to;
      this.amount = amount;
    }

    boolean answered() {
      return answeredAt != 0;
    }

    long waitedMillis() {
      return TimeUnit.NANOSECONDS.toMillis((answered() ? answeredAt : System.nanoTime()) - firstSent);
    }
  }

  /** What the clients saw while a phase ran: answers by kind, and the transfers begun in it. */
  static final class Phase {
    final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

    void record(String answer) {
      answers.computeIfAbsent(answer, a -> new LongAdder()).increment();
    }

    long count(String... kinds) {
      long total = 0;
      for (String kind : kinds) {
        LongAdder adder = answers.get(kind);
        total += adder == null ? 0 : adder.sum();
      }
      return total;
    }
  }

  private final Api api;
  private final String transfers;
  private final List<String> accounts;
  private final int maxCents;
  private final List<Thread> clients = new ArrayList<>();
  private final ConcurrentLinkedQueue<Transfer> all = new ConcurrentLinkedQueue<>();
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  private volatile String phase = "setup";
  private volatile boolean running = true;
  private volatile boolean paused;
  private final AtomicInteger busy = new AtomicInteger();

  BankWorkload(Api api, String command, List<String> accounts, int clients, int maxCents) {
    this.api = api;
    this.transfers = command + "/transfers";
    this.accounts = List.copyOf(accounts);
    this.maxCents = maxCents;
    for (int i = 0; i < clients; i++) {
      Thread client = new Thread(this::client, "bank-client-" + i);
      client.setDaemon(true);
      this.clients.add(client);
    }
  }

  void start() {
    clients.forEach(Thread::start);
  }

  /** Transfers begun from now on belong to {@code name}. */
  void phase(String name) {
    phases.computeIfAbsent(name, n -> new Phase());
    phase = name;
  }

  Phase phaseStats(String name) {
    return phases.computeIfAbsent(name, n -> new Phase());
  }

  /**
   * No new transfers; returns once every client has a definite answer for the one it was sending,
   * or after {@code within} (those still unanswered are findings of the ledger's check).
   */
  void quiesce(Duration within) throws InterruptedException {
    paused = true;
    long deadline = System.nanoTime() + within.toNanos();
    while (busy.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50); // the clients finish at the pace of the answers
    }
  }

  void resume() {
    paused = false;
  }

  void stop(Duration within) throws InterruptedException {
    quiesce(within);
    running = false;
    for (Thread client : clients) {
      client.join(5_000);
    }
  }

  List<Transfer> transfers() {
    return List.copyOf(all);
  }

  /** The newest transfer answered {@code 201}, or null. */
  Transfer lastCompleted() {
    Transfer last = null;
    for (Transfer transfer : all) {
      if (transfer.status == 201 && (last == null || transfer.answeredAt > last.answeredAt)) {
        last = transfer;
      }
    }
    return last;
  }

  private void client() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (running) {
      if (paused) {
        sleep(50);
        continue;
      }
      busy.incrementAndGet();
      try {
        if (paused) {
          continue;
        }
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        Transfer transfer = new Transfer(phase, accounts.get(from), accounts.get(to),
            BigDecimal.valueOf(random.nextInt(1, maxCents + 1), 2));
        all.add(transfer);
        send(transfer);
      } finally {
        busy.decrementAndGet();
      }
    }
  }

  /** Sends {@code transfer} until its answer is definite. */
  private void send(Transfer transfer) {
    String json = "{\"from\":\"" + transfer.from + "\",\"to\":\"" + transfer.to + "\",\"amount\":\""
        + transfer.amount.toPlainString() + "\"}";
    while (true) {
      transfer.attempts.incrementAndGet();
      Phase stats = phaseStats(phase);
      Api.Response answer;
      try {
        answer = api.postBlocking(transfers, json, transfer.key);
      } catch (RuntimeException e) { // refused, reset, timed out, or cut off mid-answer
        stats.record("connection failed");
        sleep(250);
        continue;
      }
      int status = answer.statusCode();
      String kind = switch (status) {
        case 201, 422 -> Integer.toString(status);
        case 202 -> "202 pending";
        case 409 -> answer.body().contains("idempotency-key-in-use") ? "409 key in use" : "unexpected 409";
        case 429 -> "429";
        case 503 -> answer.body().contains("kafka-unavailable") ? "503 kafka-unavailable" : "503";
        default -> status >= 500 ? Integer.toString(status) : "unexpected " + status;
      };
      stats.record(kind);
      if (status == 201 || status == 422 || kind.startsWith("unexpected")) {
        transfer.body = answer.body();
        if (status == 201 || status == 422) {
          transfer.transferId = Api.field(answer.body(), "transferId");
          // a refusal is a problem (RFC 9457), whose "status" is the HTTP status
          transfer.outcome = Api.field(answer.body(), status == 201 ? "status" : "transferStatus");
        }
        transfer.answeredAt = System.nanoTime();
        transfer.status = status; // last: whoever reads the status sees the rest
        return;
      }
      sleep(status == 202 ? 500 : 250);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // a client's pause before it asks again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
