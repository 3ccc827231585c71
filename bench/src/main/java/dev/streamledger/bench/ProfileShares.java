package dev.streamledger.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one JVM's CPU went during a step, from a JDK Flight Recorder file (docs/performance.md,
 * <i>Profiles</i>): each thread group's share of the process's CPU ({@code jdk.ThreadCPULoad}),
 * and of its Java samples ({@code jdk.ExecutionSample}) the share whose stack holds each of the
 * given frames (inclusive: they overlap) and, with {@code --layers}, the share whose innermost
 * frame among the given ones is each (exclusive: they add up), plus the hottest methods.
 * {@code --from}/{@code --to} (UTC, {@code HH:MM:SS}, today) keep the samples of one step.
 *
 * <pre>
 *   java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.streamledger.bench.ProfileShares \
 *       --file projector.jfr --from 12:37:35 --to 12:37:55 \
 *       --frames tools.jackson,KafkaProducer.doSend,javax.crypto.Mac --layers tools.jackson,org.apache.tomcat
 * </pre>
 * A frame matches a name that contains it ({@code Class.method}, package-qualified);
 * {@code a&b} counts the stacks holding both ({@code tools.jackson&MeteredKeyValueStore}: JSON
 * done for a store).
 */
public final class ProfileShares {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Instant from = options.containsKey("from")
        ? LocalTime.parse(options.get("from")).atDate(today).toInstant(ZoneOffset.UTC) : Instant.MIN;
    Instant to = options.containsKey("to")
        ? LocalTime.parse(options.get("to")).atDate(today).toInstant(ZoneOffset.UTC) : Instant.MAX;
    List<String> frames = list(options.get("frames"));
    List<String> layers = list(options.get("layers"));

    Map<String, Double> threadCpu = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> innermost = new HashMap<>();
    Map<String, Integer> hottest = new HashMap<>();
    int samples = 0;
    try (RecordingFile recording = new RecordingFile(Path.of(options.get("file")))) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
          continue;
        }
        switch (event.getEventType().getName()) {
          case "jdk.ThreadCPULoad" -> threadCpu.merge(group(event.getThread("eventThread")),
              (double) event.getFloat("user") + event.getFloat("system"), Double::sum);
          case "jdk.ExecutionSample" -> {
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
              continue;
            }
            samples++;
            List<String> names = stack.getFrames().stream().map(ProfileShares::name).toList();
            hottest.merge(names.get(0), 1, Integer::sum);
            for (String frame : frames) {
              if (holdsAll(names, frame)) {
                inclusive.merge(frame, 1, Integer::sum);
              }
            }
            if (!layers.isEmpty()) {
              innermost.merge(innermostLayer(names, layers), 1, Integer::sum);
            }
          }
          default -> { }
        }
      }
    }
    double cpu = threadCpu.values().stream().mapToDouble(Double::doubleValue).sum();
    System.out.println("threads, share of the process's CPU:");
    print(threadCpu, cpu, 12);
    System.out.println(samples + " Java samples; stacks holding each frame (inclusive):");
    print(toDouble(inclusive), samples, frames.size());
    if (!layers.isEmpty()) {
      System.out.println("innermost of the layers (exclusive):");
      print(toDouble(innermost), samples, layers.size() + 1);
    }
    System.out.println("hottest methods (self):");
    print(toDouble(hottest), samples, Integer.parseInt(options.getOrDefault("top", "20")));
  }

  /** Whether the stack holds every frame of {@code frames} ({@code a&b}: both, anywhere in it). */
  private static boolean holdsAll(List<String> names, String frames) {
    for (String frame : frames.split("&")) {
      if (names.stream().noneMatch(name -> name.contains(frame))) {
        return false;
      }
    }
    return true;
  }

  private static String innermostLayer(List<String> names, List<String> layers) {
    for (String name : names) {
      for (String layer : layers) {
        if (name.contains(layer)) {
          return layer;
        }
      }
    }
    return "(none of them)";
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isBlank() ? List.of() : List.of(commaSeparated.split(","));
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** A thread's name with its numbers and ids taken out, so a pool is one group. */
  private static String group(RecordedThread thread) {
    String name = thread == null ? null : thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
    return name == null ? "?" : name.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>").replaceAll("\\d+", "N");
  }

  private static Map<String, Double> toDouble(Map<String, Integer> counts) {
    Map<String, Double> doubles = new HashMap<>();
    counts.forEach((key, count) -> doubles.put(key, count.doubleValue()));
    return doubles;
  }

  private static void print(Map<String, Double> values, double total, int limit) {
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(values.entrySet());
    sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    sorted.stream().limit(limit)
        .forEach(entry -> System.out.printf("  %5.1f %%  %s%n", 100 * entry.getValue() / Math.max(total, 1e-9), entry.getKey()));
  }
}
