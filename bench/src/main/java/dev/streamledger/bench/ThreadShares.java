package dev.streamledger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where each process's CPU goes by thread, over a few seconds of load: for each process named by
 * {@code --pids name=pid,...} (as the benchmarks take them), the CPU its threads used and how often
 * they were switched out, grouped by thread name with the numbers taken out ({@code
 * kafka-request-handler-3} and {@code -5} are one group), largest first, those under half a percent of
 * a core summed in one line; with {@code --per R}, each also in milliseconds per transfer at R
 * transfers per second. Reads {@code /proc/<pid>/task} (Linux), and a JVM's own thread names with
 * {@code jcmd <pid> Thread.print} (the JDK's, of the same user), since {@code /proc} cuts them to 15
 * characters. Context switches are what a hand-off between threads costs besides the work itself
 * (docs/performance.md, item 15).
 *
 * <pre>
 *   java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.streamledger.bench.ThreadShares \
 *       --pids kafka=PID,projector=PID,query=PID,command=PID --seconds 30 --per 500
 * </pre>
 */
public final class ThreadShares {

  /** CPU seconds and context switches (voluntary and not) of one thread or group of threads. */
  record Usage(double cpuSeconds, long switches) {
    Usage plus(Usage other) {
      return new Usage(cpuSeconds + other.cpuSeconds, switches + other.switches);
    }

    Usage minus(Usage earlier) {
      return new Usage(cpuSeconds - earlier.cpuSeconds, switches - earlier.switches);
    }
  }

  /** A thread's line in {@code jcmd Thread.print}: its name, and its OS thread id (hex or decimal). */
  private static final Pattern JAVA_THREAD = Pattern.compile("^\"(.+)\" .*?\\bnid=(0x[0-9a-fA-F]+|\\d+)",
      Pattern.MULTILINE);
  /** Groups below this share of a core are summed into one line. */
  private static final double SHOWN = 0.005;

  private ThreadShares() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    Map<String, Long> pids = CpuMeter.pids(options.get("pids"));
    if (pids.isEmpty()) {
      throw new IllegalArgumentException("--pids name=pid,... names the processes to look into");
    }
    long seconds = Long.parseLong(options.getOrDefault("seconds", "30"));
    double per = Double.parseDouble(options.getOrDefault("per", "0"));
    Map<String, Map<Long, Seen>> before = new HashMap<>();
    Map<Long, Map<Long, String>> javaNames = new HashMap<>();
    pids.forEach((name, pid) -> {
      javaNames.put(pid, javaNames(pid));
      before.put(name, threads(pid, javaNames.get(pid)));
    });
    long started = System.nanoTime();
    Thread.sleep(seconds * 1000);
    double elapsed = (System.nanoTime() - started) / 1e9;
    pids.forEach((name, pid) -> {
      Map<String, Usage> groups = groups(before.get(name), threads(pid, javaNames.get(pid)));
      Usage total = groups.values().stream().reduce(new Usage(0, 0), Usage::plus);
      System.out.printf("%s (pid %d): %.0f%% of a core, %.0f context switches/s%s%n", name, pid,
          100 * total.cpuSeconds / elapsed, total.switches / elapsed, perTransfer(total, elapsed, per));
      List<Map.Entry<String, Usage>> sorted = new ArrayList<>(groups.entrySet());
      sorted.sort((a, b) -> Double.compare(b.getValue().cpuSeconds, a.getValue().cpuSeconds));
      Usage rest = new Usage(0, 0);
      int others = 0;
      for (var group : sorted) {
        Usage used = group.getValue();
        if (used.cpuSeconds / elapsed >= SHOWN) {
          System.out.printf("  %6.1f%% %9.0f switches/s%s  %s%n", 100 * used.cpuSeconds / elapsed,
              used.switches / elapsed, perTransfer(used, elapsed, per), group.getKey());
        } else {
          rest = rest.plus(used);
          others++;
        }
      }
      System.out.printf("  %6.1f%% %9.0f switches/s%s  (%d other groups)%n", 100 * rest.cpuSeconds / elapsed,
          rest.switches / elapsed, perTransfer(rest, elapsed, per), others);
    });
  }

  /** A thread as seen once: its name and what it had used by then. */
  record Seen(String name, Usage usage) {}

  /**
   * What each group of threads used between two looks: a thread that started in between counts from
   * zero, one that ended in between is not counted (short-lived threads are rare in these JVMs).
   */
  static Map<String, Usage> groups(Map<Long, Seen> before, Map<Long, Seen> after) {
    Map<String, Usage> groups = new HashMap<>();
    after.forEach((tid, thread) -> {
      Seen earlier = before.get(tid);
      Usage used = earlier == null ? thread.usage() : thread.usage().minus(earlier.usage());
      groups.merge(group(thread.name()), used, Usage::plus);
    });
    return groups;
  }

  /** A thread's name with its numbers taken out: threads of one pool fall into one group. */
  static String group(String threadName) {
    return threadName.replaceAll("\\d+", "#");
  }

  private static String perTransfer(Usage used, double elapsed, double per) {
    return per > 0 ? String.format("  %.3f ms per transfer", used.cpuSeconds * 1000 / elapsed / per) : "";
  }

  /**
   * A JVM's thread names by OS thread id, from {@code jcmd}; none if the process is not a JVM of
   * this user or there is no jcmd beside this JVM.
   */
  private static Map<Long, String> javaNames(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Map.of();
    }
    try {
      Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
          .redirectErrorStream(true).start();
      String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return javaNames(printed);
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  /** Thread names by OS thread id, from the text of {@code jcmd <pid> Thread.print}. */
  static Map<Long, String> javaNames(String threadPrint) {
    Map<Long, String> names = new HashMap<>();
    Matcher thread = JAVA_THREAD.matcher(threadPrint);
    while (thread.find()) {
      String nid = thread.group(2);
      names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), thread.group(1));
    }
    return names;
  }

  /** The process's threads now, by thread id, named by the JVM where it knows them; none if it is gone. */
  private static Map<Long, Seen> threads(long pid, Map<Long, String> javaNames) {
    Map<Long, Seen> threads = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          long tid = Long.parseLong(task.getFileName().toString());
          threads.put(tid, new Seen(
              javaNames.getOrDefault(tid, Files.readString(task.resolve("comm")).strip()),
              new Usage(CpuMeter.statSeconds(Files.readString(task.resolve("stat"))),
                  switches(Files.readString(task.resolve("status"))))));
        } catch (IOException e) {
          // the thread ended while being read
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    return threads;
  }

  /** Voluntary and involuntary context switches, from a {@code /proc/.../status} text. */
  static long switches(String status) {
    long switches = 0;
    for (String line : status.split("\n")) {
      if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
        switches += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return switches;
  }
}
