package dev.streamledger.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs, and the step they describe. */
final class Options {

  private Options() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  /** {@code --url}: the command service's base URL. */
  static String commandUrl(Map<String, String> options) {
    return options.getOrDefault("url", "http://127.0.0.1:8080").replaceAll("/+$", "");
  }

  /** {@code --query-url}: the query service's base URL. */
  static String queryUrl(Map<String, String> options) {
    return options.getOrDefault("query-url", "http://127.0.0.1:8081").replaceAll("/+$", "");
  }

  /** {@code --pids name=pid,...}: the stack's processes whose CPU each step reports. */
  static CpuMeter cpuMeter(Map<String, String> options) {
    return new CpuMeter(options.get("pids"));
  }

  /**
   * {@code --mode fixed --rate R} or {@code --mode max --clients N}, {@code --warmup S},
   * {@code --seconds S}, and {@code --window S} for a line every S seconds of the measured step.
   */
  static void runStep(LoadRunner runner, Map<String, String> options) throws InterruptedException {
    String mode = options.getOrDefault("mode", "fixed");
    int value = Integer.parseInt(mode.equals("fixed") ? options.getOrDefault("rate", "200")
        : options.getOrDefault("clients", "32"));
    runner.step(mode, value, Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5"))),
        Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20"))),
        options.containsKey("window") ? Duration.ofSeconds(Long.parseLong(options.get("window"))) : null);
  }
}
