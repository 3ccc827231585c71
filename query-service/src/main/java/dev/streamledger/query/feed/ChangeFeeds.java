package dev.streamledger.query.feed;

import dev.streamledger.contract.json.Json;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.query.store.Forwarding;
import dev.streamledger.query.store.OwnedElsewhereException;
import dev.streamledger.query.store.ViewNotReadyException;
import dev.streamledger.query.store.ViewStores;
import dev.streamledger.query.system.QuerySettings;
import dev.streamledger.query.view.ReadViewTopology;
import dev.streamledger.query.view.StatementEntry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Change feeds of accounts: each one writes an account's events as Server-Sent Events, {@code id}
 * = the account version, from the statement view.
 *
 * <p>A feed holds no queue: it reads at most {@value #BATCH} events after the last one it wrote,
 * writes them (a slow client blocks only its own feed's thread, in the socket), and reads again,
 * so the memory a feed uses does not grow with the client's lag. When it has caught up it waits
 * for the views to fold the account's next event, or — for an account another instance holds —
 * asks that instance again after {@code poll-interval}; which instance holds the account is
 * looked up on every read, so a feed outlives its account moving between instances. It writes
 * only the version after the last one written, so a client sees every version once, in order.
 * Idle feeds write a heartbeat comment. At most {@code max} feeds are open per instance.
 */
@Component
public class ChangeFeeds implements SmartLifecycle {

  static final int BATCH = 100;
  /** The number of feeds open on this instance (a gauge). */
  public static final String OPEN_METRIC = "streamledger.query.feeds.open";
  private static final Logger log = LoggerFactory.getLogger(ChangeFeeds.class);
  private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

  private final ViewStores stores;
  private final Forwarding forwarding;
  private final AccountChanges changes;
  private final QuerySettings.Feeds settings;
  private final Semaphore open;
  private volatile boolean running;

  ChangeFeeds(ViewStores stores, Forwarding forwarding, AccountChanges changes, QuerySettings settings,
      MeterRegistry meters) {
    this.stores = stores;
    this.forwarding = forwarding;
    this.changes = changes;
    this.settings = settings.feeds();
    this.open = new Semaphore(this.settings.max());
    Gauge.builder(OPEN_METRIC, open, permits -> this.settings.max() - permits.availablePermits())
        .description("change feeds open on this instance").register(meters);
  }

  /** Reserves a feed, or returns false when {@code max} are open already. */
  boolean reserve() {
    return open.tryAcquire();
  }

  /**
   * Writes the events of {@code accountId} after version {@code after} to {@code out}, then
   * each new one as it is folded, until the client leaves or the service stops; ends the
   * reservation made by {@link #reserve}.
   */
  void stream(String accountId, long after, OutputStream out) throws IOException {
    changes.listen(accountId);
    try {
      out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long cursor = after;
      long lastWrite = System.nanoTime();
      while (running) {
        Batch batch = read(accountId, cursor);
        for (StatementEntry entry : batch.entries()) {
          if (entry.version() != cursor + 1) {
            break; // a gap means a view still catching up: read again rather than skip
          }
          out.write(frame(entry));
          cursor = entry.version();
        }
        if (!batch.entries().isEmpty()) {
          out.flush();
          lastWrite = System.nanoTime();
          if (batch.entries().size() == BATCH) {
            continue;
          }
        }
        long idle = System.nanoTime() - lastWrite;
        if (idle >= settings.heartbeat().toNanos()) {
          out.write(HEARTBEAT);
          out.flush();
          lastWrite = System.nanoTime();
          idle = 0;
        }
        long wait = Math.min(settings.heartbeat().toNanos() - idle,
            batch.local() ? TimeUnit.SECONDS.toNanos(1) : settings.pollInterval().toNanos());
        changes.awaitAfter(accountId, cursor, wait, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      changes.stopListening(accountId);
      open.release();
    }
  }

  /** What a read found: events after the cursor, and whether this instance's view was read. */
  private record Batch(List<StatementEntry> entries, boolean local) {
    static final Batch NOTHING_YET = new Batch(List.of(), false);
  }

  private Batch read(String accountId, long after) {
    try {
      return new Batch(stores.range(ReadViewTopology.STATEMENTS_STORE, Topics.ACCOUNT_EVENTS, accountId,
          ReadViewTopology.statementKey(accountId, after + 1), ReadViewTopology.statementKey(accountId, Long.MAX_VALUE),
          BATCH), true);
    } catch (OwnedElsewhereException owned) {
      return readElsewhere(owned, accountId, after);
    } catch (ViewNotReadyException e) {
      return Batch.NOTHING_YET; // rebalancing or restoring: the feed waits and reads again
    }
  }

  private Batch readElsewhere(OwnedElsewhereException owned, String accountId, long after) {
    String target = "/accounts/" + URLEncoder.encode(accountId, StandardCharsets.UTF_8) + "/statement?afterVersion="
        + after + "&limit=" + BATCH;
    try {
      HttpResponse<byte[]> answer = forwarding.get(owned.active(), target, "application/json", null, false);
      if (answer.statusCode() != 200) {
        return Batch.NOTHING_YET;
      }
      List<StatementEntry> entries = new ArrayList<>();
      for (JsonNode entry : Json.MAPPER.readTree(answer.body()).path("entries")) {
        entries.add(Json.MAPPER.treeToValue(entry, StatementEntry.class));
      }
      return new Batch(entries, false);
    } catch (IOException | JacksonException e) {
      log.debug("the instance holding account {} did not answer its feed: {}", accountId, e.toString());
      return Batch.NOTHING_YET;
    }
  }

  static byte[] frame(StatementEntry entry) {
    return ("id: " + entry.version() + "\nevent: " + entry.kind() + "\ndata: " + Json.MAPPER.writeValueAsString(entry)
        + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void start() {
    running = true;
  }

  /** Ends every feed before the web server's graceful shutdown waits for open requests. */
  @Override
  public void stop() {
    running = false;
    changes.wakeAll();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
