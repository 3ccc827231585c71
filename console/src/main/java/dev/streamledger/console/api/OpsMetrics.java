package dev.streamledger.console.api;

import dev.streamledger.console.ConsoleSettings;
import dev.streamledger.console.auth.Caller;
import dev.streamledger.contract.problem.ProblemType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ops/metrics}, for operators: what each service's Prometheus endpoint says now —
 * the commands it answered (count and seconds, from which the page draws throughput and mean
 * round trip over time) and each consumer's lag per topic and partition. The console reads the
 * endpoints the deployment names ({@code streamledger.console.scrape}), as a Prometheus server
 * would; a real deployment also has one (docs/observability.md).
 */
@RestController
public class OpsMetrics {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final ConsoleSettings settings;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public OpsMetrics(ConsoleSettings settings) {
    this.settings = settings;
  }

  /** Commands a service answered since it started: how many, and their seconds in all. */
  public record Requests(double count, double seconds) {}

  /** A consumer's lag on one partition (the largest over the service's consumers of it). */
  public record Lag(String topic, int partition, double records) {}

  /** One service: whether it answered, and what it said. */
  public record Target(String name, boolean up, Requests commands, List<Lag> lag) {}

  public record Snapshot(Instant takenAt, List<Target> targets) {}

  @GetMapping("/api/ops/metrics")
  ResponseEntity<?> metrics(Authentication authentication) throws InterruptedException {
    if (!Caller.of(authentication).map(Caller::operator).orElse(false)) {
      ProblemDetail problem = ProblemType.FORBIDDEN.problem("only operators see the services' metrics");
      return ResponseEntity.status(problem.getStatus()).body(problem);
    }
    List<Target> targets = new ArrayList<>();
    for (Map.Entry<String, URI> target : settings.scrape().entrySet()) {
      targets.add(scrape(target.getKey(), target.getValue()));
    }
    return ResponseEntity.ok(new Snapshot(Instant.now(), targets));
  }

  private Target scrape(String name, URI base) throws InterruptedException {
    String text;
    try {
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
          URI.create(base.toString().replaceAll("/$", "") + "/actuator/prometheus")).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        return new Target(name, false, null, List.of());
      }
      text = answer.body();
    } catch (IOException e) {
      return new Target(name, false, null, List.of());
    }
    double count = 0;
    double seconds = 0;
    Map<String, Lag> lags = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.find()) {
        continue;
      }
      String metric = sample.group(1);
      Map<String, String> labels = labels(sample.group(2));
      double value = parse(sample.group(3));
      boolean command = "POST".equals(labels.get("method")) || "DELETE".equals(labels.get("method"));
      if (metric.equals("http_server_requests_seconds_count") && command) {
        count += value;
      } else if (metric.equals("http_server_requests_seconds_sum") && command) {
        seconds += value;
      } else if (metric.equals("kafka_consumer_fetch_manager_records_lag") && labels.containsKey("partition")
          && labels.getOrDefault("topic", "").contains(".") && !Double.isNaN(value)) {
        // Kafka reports each topic twice, once with its dots as underscores: the dotted name is kept
        String key = labels.get("topic") + "/" + labels.get("partition");
        Lag lag = new Lag(labels.get("topic"), Integer.parseInt(labels.get("partition")), value);
        lags.merge(key, lag, (a, b) -> a.records() >= b.records() ? a : b);
      }
    }
    return new Target(name, true, count > 0 ? new Requests(count, seconds) : null, List.copyOf(lags.values()));
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text != null) {
      Matcher label = LABEL.matcher(text);
      while (label.find()) {
        labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
    }
    return labels;
  }

  private static double parse(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
