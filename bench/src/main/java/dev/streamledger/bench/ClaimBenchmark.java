package dev.streamledger.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Username claims against a running command service, as a client sees them: HTTP in, the
 * outcome of that claim out.
 *
 * <pre>
 *   fixed RATE  — open loop: requests start on a fixed schedule whether or not earlier ones
 *                 have returned; latency is measured from the scheduled start, so a stall
 *                 shows up in the percentiles instead of hiding (no coordinated omission)
 *   max N       — closed loop: N clients, each sending its next claim as soon as it has an answer
 * </pre>
 * Every claim is for a fresh name, except that one in {@code --conflict-every} claims repeats a
 * name just claimed, so both outcomes ({@code 201}, {@code 409}) are exercised.
 */
public final class ClaimBenchmark {

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newFixedThreadPool(4))
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final URI users;
  private final String runId = Long.toString(System.nanoTime() % 46_656L * 36 + new Random().nextInt(36), 36);
  private final AtomicLong sequence = new AtomicLong();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final int conflictEvery;

  private ClaimBenchmark(String baseUrl, int conflictEvery) {
    this.users = URI.create(baseUrl.replaceAll("/+$", "") + "/users");
    this.conflictEvery = conflictEvery;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    String url = options.getOrDefault("url", "http://127.0.0.1:8080");
    Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20")));
    Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5")));
    int conflictEvery = Integer.parseInt(options.getOrDefault("conflict-every", "10"));
    ClaimBenchmark bench = new ClaimBenchmark(url, conflictEvery);
    String mode = options.getOrDefault("mode", "fixed");
    int value = Integer.parseInt(options.getOrDefault(mode.equals("fixed") ? "rate" : "clients",
        mode.equals("fixed") ? "200" : "32"));

    System.out.printf("claims against %s, %s %d, warm-up %ds, measured %ds%n", url, mode, value,
        warmup.toSeconds(), duration.toSeconds());
    bench.run(mode, value, warmup);                         // warm-up, discarded
    bench.statuses.clear();
    Histogram latency = bench.run(mode, value, duration);
    bench.report(latency, duration);
    System.exit(0);
  }

  private Histogram run(String mode, int value, Duration duration) throws InterruptedException {
    return mode.equals("fixed") ? fixedRate(value, duration) : maxRate(value, duration);
  }

  private Histogram fixedRate(int perSecond, Duration duration) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    long intervalNanos = 1_000_000_000L / perSecond;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Semaphore inFlight = new Semaphore(10_000);
    for (long next = start; next < end; next += intervalNanos) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      long scheduled = next;
      inFlight.acquire();
      claim().whenComplete((status, error) -> {
        recorder.recordValue(Math.max(0, System.nanoTime() - scheduled) / 1_000);
        count(status, error);
        inFlight.release();
      });
    }
    inFlight.acquire(10_000);
    return recorder.getIntervalHistogram();
  }

  private Histogram maxRate(int clients, Duration duration) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    long end = System.nanoTime() + duration.toNanos();
    Thread[] workers = new Thread[clients];
    for (int i = 0; i < clients; i++) {
      workers[i] = new Thread(() -> {
        while (System.nanoTime() < end) {
          long started = System.nanoTime();
          try {
            int status = claim().join();
            count(status, null);
          } catch (RuntimeException e) {
            count(null, e);
          }
          recorder.recordValue((System.nanoTime() - started) / 1_000);
        }
      });
      workers[i].start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return recorder.getIntervalHistogram();
  }

  private CompletableFuture<Integer> claim() {
    long n = sequence.incrementAndGet();
    long nameNumber = conflictEvery > 0 && n % conflictEvery == 0 ? n - 1 : n;
    String name = "b" + runId + "-" + Long.toString(nameNumber, 36);
    HttpRequest request = HttpRequest.newBuilder(users)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\"}"))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
  }

  private void count(Integer status, Throwable error) {
    statuses.computeIfAbsent(error != null || status == null ? -1 : status, s -> new LongAdder()).increment();
  }

  private void report(Histogram latency, Duration duration) {
    long total = latency.getTotalCount();
    System.out.printf("requests %d, throughput %.1f/s, answers %s (-1 = transport error)%n", total,
        total / (double) duration.toSeconds(), new java.util.TreeMap<>(statuses));
    System.out.printf("round trip ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
        ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
