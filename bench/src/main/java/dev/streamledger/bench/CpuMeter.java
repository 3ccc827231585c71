package dev.streamledger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the CPU goes: the CPU time each process of the stack (named by {@code --pids
 * name=pid,...}) and this load generator spent during a measured step, per request. Reads
 * {@code /proc/<pid>/stat} (Linux); without it, or without pids, it reports only the generator.
 */
final class CpuMeter {

  /** Clock ticks per second of {@code /proc/<pid>/stat} times: 100 on every Linux we run on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Map<String, Long> pids;
  private Map<String, Double> started = Map.of();

  CpuMeter(String pidList) {
    this.pids = pids(pidList);
  }

  /** {@code name=pid,...} as names to pids, in their order; none for null or blank. */
  static Map<String, Long> pids(String pidList) {
    Map<String, Long> pids = new LinkedHashMap<>();
    if (pidList != null && !pidList.isBlank()) {
      for (String entry : pidList.split(",")) {
        String[] nameAndPid = entry.split("=", 2);
        pids.put(nameAndPid[0], Long.parseLong(nameAndPid[1].trim()));
      }
    }
    return pids;
  }

  void start() {
    started = seconds();
  }

  /** One line: milliseconds of CPU per request for each process, and the share of the machine used. */
  String report(long requests, double wallSeconds) {
    Map<String, Double> now = seconds();
    StringJoiner line = new StringJoiner(", ", "cpu ms per decided request: ", "");
    double total = 0;
    for (var entry : now.entrySet()) {
      double used = entry.getValue() - started.getOrDefault(entry.getKey(), entry.getValue());
      total += used;
      line.add(String.format("%s %.2f", entry.getKey(), requests == 0 ? 0 : used * 1000 / requests));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return line + String.format("; all of them used %.0f%% of %d cores", 100 * total / wallSeconds / cores, cores);
  }

  private Map<String, Double> seconds() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    pids.forEach((name, pid) -> {
      Double used = processSeconds(pid);
      if (used != null) {
        seconds.put(name, used);
      }
    });
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      seconds.put("load generator", sun.getProcessCpuTime() / 1e9);
    }
    return seconds;
  }

  private static Double processSeconds(long pid) {
    try {
      return statSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The user and system CPU seconds in a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line. */
  static double statSeconds(String stat) {
    // fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }
}
