package dev.streamledger.query.snapshot;

import dev.streamledger.contract.json.Json;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.query.store.Forwarding;
import dev.streamledger.query.store.ViewNotReadyException;
import dev.streamledger.query.store.ViewStores;
import dev.streamledger.query.system.Streamed;
import dev.streamledger.query.view.AccountPartitions;
import dev.streamledger.query.view.ReadViewTopology;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /snapshots/accounts}: every account, streamed as NDJSON (one JSON object per line),
 * with the offsets of {@link Topics#ACCOUNT_EVENTS} it corresponds to, so that a downstream
 * system can load it and consume the topic on from exactly there.
 *
 * <p>Lines, each with a {@code kind}: one {@code snapshot} header; then per partition of the
 * event topic, its {@code account} lines followed by one {@code position} line whose
 * {@code nextOffset} is where that partition continues; last an {@code end} line. A snapshot
 * without its {@code end} line is incomplete (an {@code error} line says why) and must not be
 * used.
 *
 * <p>Each partition's accounts and its {@code nextOffset} are read as one consistent cut (see
 * {@link AccountPartitions}); partitions are cut one after another, not at one instant.
 */
@RestController
class AccountSnapshots {

  static final String PATH = "/snapshots/accounts";
  private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
  /** Snapshots being written by this instance at once, at most. */
  private static final int MAX_CONCURRENT = 2;

  record Header(String kind, String topic, int partitions, Instant takenAt) {}

  record Account(String kind, String accountId, String owner, String currency, String balance, long version,
      int partition, long offset) {}

  record Position(String kind, String topic, int partition, long nextOffset, long accounts) {}

  record End(String kind, int partitions, long accounts) {}

  record Error(String kind, String detail) {}

  private final ViewStores stores;
  private final Forwarding forwarding;
  private final Semaphore writing = new Semaphore(MAX_CONCURRENT);

  AccountSnapshots(ViewStores stores, Forwarding forwarding) {
    this.stores = stores;
    this.forwarding = forwarding;
  }

  /** The whole snapshot, from whichever instances hold each partition. */
  @Operation(summary = "Snapshot of every account, with the offsets to resume after (NDJSON)")
  @GetMapping(PATH)
  ResponseEntity<StreamingResponseBody> all(HttpServletResponse response) {
    int partitions = stores.partitions();
    Map<Integer, HostInfo> owners = stores.activeOwners(ReadViewTopology.ACCOUNTS_STORE, Topics.ACCOUNT_EVENTS);
    if (owners.size() != partitions) {
      throw new ViewNotReadyException("the views are moving between instances");
    }
    reserve();
    return stream(response, out -> {
      write(out, new Header("snapshot", Topics.ACCOUNT_EVENTS.name(), partitions, Instant.now()));
      long accounts = 0;
      for (int partition = 0; partition < partitions; partition++) {
        // looked up again for each partition: an owner that moved since the start is followed
        HostInfo owner = stores.activeOwners(ReadViewTopology.ACCOUNTS_STORE, Topics.ACCOUNT_EVENTS).get(partition);
        Position position = owner == null ? null
            : stores.isSelf(owner) ? writePartition(out, partition) : copyPartition(out, owner, partition);
        if (position == null) {
          write(out, new Error("error", "partition " + partition + " could not be read; the snapshot is incomplete"));
          return;
        }
        accounts += position.accounts();
      }
      write(out, new End("end", partitions, accounts));
    });
  }

  /** One partition of the snapshot, from the instance that holds it (what {@link #all} asks others for). */
  @Operation(summary = "Snapshot of one partition, from the instance that holds it (internal)")
  @GetMapping(PATH + "/partitions/{partition}")
  ResponseEntity<StreamingResponseBody> partition(@PathVariable int partition, HttpServletResponse response) {
    if (!stores.localPartitions(Topics.ACCOUNT_EVENTS).contains(partition)) {
      throw new ViewNotReadyException("partition " + partition + " is not held by this instance");
    }
    reserve();
    return stream(response, out -> {
      if (writePartition(out, partition) == null) {
        write(out, new Error("error", "partition " + partition + " moved away while it was read"));
      }
    });
  }

  private void reserve() {
    if (!writing.tryAcquire()) {
      ErrorResponseException busy = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.NOT_READY.problem(
          "this instance is writing "
              + MAX_CONCURRENT + " snapshots already"), null);
      busy.getHeaders().set(HttpHeaders.RETRY_AFTER, "10");
      throw busy;
    }
  }

  private ResponseEntity<StreamingResponseBody> stream(HttpServletResponse response, Streamed.Writer writer) {
    return ResponseEntity.ok().contentType(NDJSON).body(Streamed.body(response, out -> {
      try {
        writer.writeTo(out);
      } finally {
        writing.release();
      }
    }));
  }

  /** Writes this instance's accounts of {@code partition} and their position; null if it cannot. */
  private Position writePartition(OutputStream out, int partition) throws IOException {
    long[] counted = {0};
    long nextOffset;
    try {
      nextOffset = AccountPartitions.forEachAccount(stores, partition, account -> {
        counted[0]++;
        try {
          write(out, new Account("account", account.accountId(), account.owner(), account.currency(),
              account.balance(), account.version(), account.sourcePartition(), account.sourceOffset()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (ViewNotReadyException e) {
      return null;
    }
    Position position = new Position("position", Topics.ACCOUNT_EVENTS.name(), partition, nextOffset, counted[0]);
    write(out, position);
    return position;
  }

  /** Copies another instance's lines of {@code partition}; its position, or null if it ended without one. */
  private Position copyPartition(OutputStream out, HostInfo owner, int partition) throws IOException {
    HttpResponse<InputStream> answer = forwarding.open(owner, PATH + "/partitions/" + partition, NDJSON.toString());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
      if (answer.statusCode() != 200) {
        return null;
      }
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode parsed = Json.MAPPER.readTree(line);
        if (!parsed.path("kind").asString("").equals("account") && !parsed.path("kind").asString("").equals("position")) {
          return null;
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        if (parsed.path("kind").asString("").equals("position")) {
          return Json.MAPPER.treeToValue(parsed, Position.class);
        }
      }
      return null;
    } catch (JacksonException e) {
      return null;
    }
  }

  private static void write(OutputStream out, Object line) throws IOException {
    out.write(Json.MAPPER.writeValueAsBytes(line));
    out.write('\n');
  }
}
