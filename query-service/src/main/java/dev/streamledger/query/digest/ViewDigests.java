package dev.streamledger.query.digest;

import dev.streamledger.contract.json.Json;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.query.store.CatchUp;
import dev.streamledger.query.store.Forwarding;
import dev.streamledger.query.store.ViewPositions;
import dev.streamledger.query.store.ViewStores;
import dev.streamledger.query.system.QuerySettings;
import dev.streamledger.query.view.ReadViewTopology;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

/**
 * A digest of every read view, to prove two builds of the views identical — the live views and
 * ones rebuilt from offset 0 ({@code bin/rebuild-views}).
 *
 * <p>A partition's digest is SHA-256 over its entries in key order (key, then the value as
 * JSON); a view's digest is SHA-256 over its partitions' digests in partition order, so it
 * does not depend on which instance holds which partition. {@code caughtUp} says whether every
 * instance had read its partitions to their end when asked: digests of views at rest that are
 * both caught up must be equal; while events flow they may differ for that reason alone.
 */
@RestController
class ViewDigests {

  /** Each view and the topic that feeds it (and decides its partitions). */
  static final Map<String, Topic<String, ?>> VIEWS = views();

  private final ViewStores stores;
  private final CatchUp catchUp;
  private final Forwarding forwarding;
  private final QuerySettings settings;
  private final ViewPositions positions;

  ViewDigests(ViewStores stores, CatchUp catchUp, Forwarding forwarding, QuerySettings settings,
      ViewPositions positions) {
    this.stores = stores;
    this.catchUp = catchUp;
    this.forwarding = forwarding;
    this.settings = settings;
    this.positions = positions;
  }

  record PartitionDigest(String digest, long entries) {}

  /** This instance's partitions of each view. */
  record Local(boolean caughtUp, long recordsRead, Map<String, Map<Integer, PartitionDigest>> views) {}

  record ViewDigest(String digest, long entries) {}

  /** Every view over all partitions; {@code complete}: every partition was digested exactly once. */
  record Digests(String applicationId, boolean caughtUp, boolean complete, long recordsRead,
      Map<String, ViewDigest> views) {}

  record Comparison(boolean identical, boolean caughtUp, Digests here, Digests there) {

    /** The comparison as a table, for people and scripts ({@code bin/rebuild-views}). */
    String table() {
      StringBuilder table = new StringBuilder(String.format("%-20s %12s %12s  %-16s %-16s%n", "view", "entries here",
          "there", "digest here", "there"));
      here.views().forEach((view, digest) -> {
        ViewDigest other = there.views().get(view);
        table.append(String.format("%-20s %12d %12s  %-16.16s %-16.16s %s%n", view, digest.entries(),
            other == null ? "-" : Long.toString(other.entries()), digest.digest(),
            other == null ? "-" : other.digest(), digest.equals(other) ? "same" : "DIFFERENT"));
      });
      return table.append("application ids: ").append(here.applicationId()).append(" / ").append(there.applicationId())
          .append("\ncaught up: ").append(caughtUp).append("\nidentical: ").append(identical).append('\n').toString();
    }
  }

  @Operation(summary = "Digests of the views this instance holds (internal)")
  @GetMapping("/views/digests/local")
  Local local() {
    boolean caughtUp = catchUp.caughtUp(); // asked first: a partition read to its end stays at its end while at rest
    Map<String, Map<Integer, PartitionDigest>> views = new TreeMap<>();
    VIEWS.forEach((store, source) -> {
      Map<Integer, PartitionDigest> partitions = new TreeMap<>();
      for (int partition : stores.localPartitions(source)) {
        MessageDigest digest = sha256();
        long[] entries = {0};
        stores.forEachIn(store, source, partition, (key, value) -> {
          digest.update(key.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(Json.MAPPER.writeValueAsBytes(value));
          digest.update((byte) '\n');
          entries[0]++;
        });
        partitions.put(partition, new PartitionDigest(HexFormat.of().formatHex(digest.digest()), entries[0]));
      }
      views.put(store, partitions);
    });
    return new Local(caughtUp, positions.recordsRead(), views);
  }

  @Operation(summary = "Digest of every read view, over all instances")
  @GetMapping("/views/digests")
  Digests all() {
    List<Local> answers = forwarding.askEach(local(), stores.otherInstances(), "/views/digests/local", Local.class);
    boolean caughtUp = answers.stream().allMatch(answer -> answer != null && answer.caughtUp());
    boolean complete = answers.stream().allMatch(Objects::nonNull);
    Map<String, ViewDigest> views = new TreeMap<>();
    for (var view : VIEWS.entrySet()) {
      Map<Integer, PartitionDigest> partitions = new TreeMap<>();
      for (Local answer : answers) {
        for (var partition : answer == null ? Map.<Integer, PartitionDigest>of().entrySet()
            : answer.views().getOrDefault(view.getKey(), Map.of()).entrySet()) {
          complete &= partitions.put(partition.getKey(), partition.getValue()) == null; // not counted twice
        }
      }
      complete = complete && partitions.size() == stores.partitions();
      MessageDigest digest = sha256();
      long entries = 0;
      for (PartitionDigest partition : partitions.values()) {
        digest.update(partition.digest().getBytes(StandardCharsets.UTF_8));
        entries += partition.entries();
      }
      views.put(view.getKey(), new ViewDigest(HexFormat.of().formatHex(digest.digest()), entries));
    }
    long recordsRead = answers.stream().filter(Objects::nonNull).mapToLong(Local::recordsRead).sum();
    return new Digests(settings.applicationId(), caughtUp, complete, recordsRead, views);
  }

  /**
   * These views' digests next to those of the query service at {@code with} (its base URL):
   * {@code identical} when both are complete and every view's digest is equal.
   */
  /** How long a comparison waits for the other deployment's digests. */
  private static final Duration COMPARE_TIMEOUT = Duration.ofMinutes(2);

  @Operation(summary = "Compare the view digests with another deployment (text)")
  @GetMapping(path = "/views/digests/compare", produces = MediaType.TEXT_PLAIN_VALUE)
  ResponseEntity<Object> compareAsTable(@RequestParam URI with) {
    ResponseEntity<Object> compared = compare(with);
    if (compared.getBody() instanceof Comparison comparison) {
      return ResponseEntity.ok(comparison.table());
    }
    // a problem stays problem+json (preset, so not negotiated against text/plain)
    return ResponseEntity.status(compared.getStatusCode()).headers(compared.getHeaders())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(compared.getBody());
  }

  @Operation(summary = "Compare the view digests with another deployment")
  @GetMapping("/views/digests/compare")
  ResponseEntity<Object> compare(@RequestParam URI with) {
    if (!"http".equalsIgnoreCase(with.getScheme()) || with.getHost() == null) {
      return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(ProblemType.INVALID_REQUEST.problem(
          "'with' is the base URL of another query service, like http://127.0.0.1:8090"));
    }
    // the request for the other side's digests carries the caller's (an operator's) token: only
    // to a query service of this deployment, named in the settings, never to any URL a caller gives
    if (!settings.compareWith().contains(QuerySettings.origin(with))) {
      return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(ProblemType.INVALID_REQUEST.problem(
          "'with' is not a query service this one may compare with (streamledger.query.compare-with)"));
    }
    Digests here = all();
    Digests there;
    try {
      // digesting every view of a deployment reads all of its state: seconds for a few million entries
      HttpResponse<byte[]> answer = forwarding.get(new HostInfo(with.getHost(), with.getPort() < 0 ? 80 : with.getPort()),
          "/views/digests", "application/json", null, false, COMPARE_TIMEOUT);
      if (answer.statusCode() != 200) {
        return Forwarding.unavailable(with + " answered " + answer.statusCode());
      }
      there = Json.MAPPER.readValue(answer.body(), Digests.class);
    } catch (IOException | JacksonException e) {
      return Forwarding.unavailable(with + " did not answer: " + e.getMessage());
    }
    boolean identical = here.complete() && there.complete() && here.views().equals(there.views());
    return ResponseEntity.ok(new Comparison(identical, here.caughtUp() && there.caughtUp(), here, there));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Map<String, Topic<String, ?>> views() {
    Map<String, Topic<String, ?>> views = new LinkedHashMap<>();
    views.put(ReadViewTopology.USERS_STORE, Topics.USER_EVENTS);
    views.put(ReadViewTopology.ACCOUNTS_STORE, Topics.ACCOUNT_EVENTS);
    views.put(ReadViewTopology.STATEMENTS_STORE, Topics.ACCOUNT_EVENTS);
    views.put(ReadViewTopology.MOVEMENTS_STORE, Topics.ACCOUNT_EVENTS);
    views.put(ReadViewTopology.TRANSFERS_STORE, Topics.TRANSFER_EVENTS);
    views.put(ReadViewTopology.OUTCOMES_STORE, Topics.OUTCOMES);
    return views;
  }
}
