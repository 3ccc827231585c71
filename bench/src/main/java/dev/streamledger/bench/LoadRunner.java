package dev.streamledger.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives one kind of request and measures its round trip.
 *
 * <pre>
 *   fixed RATE  — open loop: requests start on a fixed schedule whether or not earlier ones
 *                 have returned; latency is measured from the scheduled start, so a stall
 *                 shows up in the percentiles instead of hiding (no coordinated omission)
 *   max N       — closed loop: N clients, each sending its next request as soon as it has an answer
 * </pre>
 */
final class LoadRunner {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Supplier<CompletableFuture<Integer>> request;
  private final CpuMeter cpu;
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  /** Requests answered with a decision; the throughput counts only these. */
  private final LongAdder decided = new LongAdder();

  LoadRunner(Supplier<CompletableFuture<Integer>> request, CpuMeter cpu) {
    this.request = request;
    this.cpu = cpu;
  }

  /**
   * Runs a warm-up (discarded) and a measured step, and prints the measured one; with a
   * {@code window}, also a line for every window of the measured step as it ends (how a cold
   * stack ramps up).
   */
  void step(String mode, int value, Duration warmup, Duration measured, Duration window) throws InterruptedException {
    System.out.printf("%s %d, warm-up %ds, measured %ds%n", mode, value, warmup.toSeconds(), measured.toSeconds());
    run(mode, value, warmup, new Recorder(3));
    statuses.clear();
    errors.clear();
    decided.reset();
    cpu.start();
    Instant from = Instant.now();
    long began = System.nanoTime();
    Recorder recorder = new Recorder(3);
    Histogram latency = new Histogram(3);
    Thread windows = null;
    if (window != null) {
      windows = new Thread(() -> reportWindows(recorder, latency, began, window), "windows");
      windows.setDaemon(true);
      windows.start();
    }
    run(mode, value, measured, recorder);
    if (windows != null) {
      windows.interrupt();
      windows.join();
    }
    synchronized (latency) {
      latency.add(recorder.getIntervalHistogram());
    }
    double wallSeconds = (System.nanoTime() - began) / 1e9;
    report(latency, measured);
    System.out.println(cpu.report(decided.sum(), wallSeconds));
    // the window to give a profile's reader (ProfileShares --from --to)
    System.out.printf("measured from %s to %s UTC%n", TIME.format(from), TIME.format(Instant.now()));
  }

  private void reportWindows(Recorder recorder, Histogram total, long began, Duration window) {
    long next = began + window.toNanos();
    long decidedBefore = 0;
    while (true) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      Histogram part = recorder.getIntervalHistogram();
      synchronized (total) {
        total.add(part);
      }
      long decidedNow = decided.sum();
      long undecided = part.getTotalCount() - (decidedNow - decidedBefore);
      System.out.printf("  %3ds: %.1f/s  p50 %.1f ms  p99 %.1f ms%s%n", (next - began) / 1_000_000_000L,
          (decidedNow - decidedBefore) / (double) window.toSeconds(), ms(part.getValueAtPercentile(50)),
          ms(part.getValueAtPercentile(99)), undecided > 0 ? "  (+" + undecided + " not decided)" : "");
      decidedBefore = decidedNow;
      next += window.toNanos();
    }
  }

  private void run(String mode, int value, Duration duration, Recorder recorder) throws InterruptedException {
    if (mode.equals("fixed")) {
      fixedRate(value, duration, recorder);
    } else {
      maxRate(value, duration, recorder);
    }
  }

  private void fixedRate(int perSecond, Duration duration, Recorder recorder) throws InterruptedException {
    long intervalNanos = 1_000_000_000L / perSecond;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Semaphore inFlight = new Semaphore(10_000);
    for (long next = start; next < end; next += intervalNanos) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long scheduled = next;
      inFlight.acquire();
      request.get().whenComplete((status, error) -> {
        recorder.recordValue(Math.max(0, System.nanoTime() - scheduled) / 1_000);
        count(status, error);
        inFlight.release();
      });
    }
    inFlight.acquire(10_000);
  }

  private void maxRate(int clients, Duration duration, Recorder recorder) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    Thread[] workers = new Thread[clients];
    for (int i = 0; i < clients; i++) {
      workers[i] = new Thread(() -> {
        while (System.nanoTime() < end) {
          long started = System.nanoTime();
          try {
            count(request.get().join(), null);
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
  }

  private void count(Integer status, Throwable error) {
    statuses.computeIfAbsent(error != null || status == null ? -1 : status, s -> new LongAdder()).increment();
    if (error == null && status != null && decision(status)) {
      decided.increment();
    }
    if (error != null) {
      Throwable cause = error;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      errors.computeIfAbsent(cause.getClass().getSimpleName() + ": " + cause.getMessage(), e -> new LongAdder())
          .increment();
    }
  }

  /**
   * Whether an answer decided its request: a success other than {@code 202} (still pending), or
   * the domain's refusals — {@code 409} (a name taken), {@code 422} (a rule, e.g. not enough
   * money). Not a {@code 429} (the rate limit), another {@code 4xx} (the benchmark's own fault:
   * a bad token, say), a {@code 5xx} or a transport error.
   */
  static boolean decision(int status) {
    return (status >= 200 && status < 300 && status != 202) || status == 409 || status == 422;
  }

  private void report(Histogram latency, Duration duration) {
    long total = latency.getTotalCount();
    System.out.printf("requests %d, throughput %.1f/s decided, answers %s (-1 = transport error)%n", total,
        decided.sum() / (double) duration.toSeconds(), new TreeMap<>(statuses));
    if (!errors.isEmpty()) {
      System.out.printf("transport errors: %s%n", new TreeMap<>(errors));
    }
    System.out.printf("round trip ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
        ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()));
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
