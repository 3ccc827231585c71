package dev.streamledger.sqlsink;

import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.sqlsink.Rows.Source;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each batch Connect delivers into the tables, in one database transaction with the
 * progress of every partition in it ({@code sink_progress}).
 *
 * <p>Exactly once into the database: the progress is the truth. When partitions are assigned,
 * whenever the database connection had to be made again (a restart of the database, or the
 * database dropped and made anew: then from offset 0), and whenever the database's progress is not
 * what the task last wrote (a backup restored; another task wrote the partition while this one
 * still thought it its own), the task asks Connect to go back to the database's progress and
 * folds nothing of the batch in hand; a record below the progress is skipped. Each batch checks
 * the progress of its partitions first, with those rows locked; an idle task checks every few
 * seconds. Connect's own committed offsets follow the database's ({@link #preCommit}), and do
 * not matter when they are reset or lost. Rows carry the place of their last event as a second
 * guard.
 *
 * <p>A record that is not the projector's sealed event (no key or value, a forged or altered
 * one, JSON that is not an event) or that cannot be folded (a version gap, say) goes to the
 * connector's dead-letter topic with the reason, and the task goes on; the progress moves past
 * it only once the dead letter is written.
 */
public final class SqlSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(SqlSinkTask.class);

  private static final String ACCOUNTS = Topics.ACCOUNT_EVENTS.name();
  private static final String TRANSFERS = Topics.TRANSFER_EVENTS.name();
  private static final String USERS = Topics.USER_EVENTS.name();
  private static final Deserializer<AccountEvent> ACCOUNT_EVENTS = Topics.ACCOUNT_EVENTS.valueSerde().deserializer();
  private static final Deserializer<TransferEvent> TRANSFER_EVENTS =
      Topics.TRANSFER_EVENTS.valueSerde().deserializer();
  private static final Deserializer<UserEvent> USER_EVENTS = Topics.USER_EVENTS.valueSerde().deserializer();

  private SqlSinkConfig config;
  private Seal seal;
  private ErrantRecordReporter deadLetters;
  private LedgerTables tables; // null until connected, and after the connection failed
  private final Map<TopicPartition, Long> progress = new HashMap<>();
  /** When an idle task next looks whether the database's progress is still its own. */
  private long nextIdleCheck;

  private static final long IDLE_CHECK_MILLIS = 2000;
  private static final long IDLE_CHECK_NANOS = Duration.ofMillis(IDLE_CHECK_MILLIS).toNanos();
  /** How soon a batch the database failed is tried again. */
  private static final long RETRY_MILLIS = 1000;

  @Override
  public String version() {
    return Version.OF_PLUGIN;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new SqlSinkConfig(props);
    seal = config.seal();
    deadLetters = context.errantRecordReporter();
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    if (tables != null) {
      try {
        rewindToDatabase(partitions);
      } catch (SQLException e) {
        disconnect(e);
      }
    }
    // else: the first put connects, and goes back to the database's progress for all of them
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    partitions.forEach(progress::remove);
    if (tables != null) {
      try {
        tables.rollback(); // nothing of a failed batch stays open, holding its partitions' progress rows
      } catch (SQLException e) {
        disconnect(e);
      }
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    try {
      if (tables == null) {
        tables = LedgerTables.open(config.url(), config.user(), config.password());
        rewindToDatabase(context.assignment());
        return; // Connect seeks to the database's progress; what this batch held comes again
      }
      if (!records.isEmpty()) {
        fold(records);
      } else if (System.nanoTime() - nextIdleCheck > 0) {
        nextIdleCheck = System.nanoTime() + IDLE_CHECK_NANOS;
        Collection<TopicPartition> assigned = context.assignment();
        if (!tables.progress(assigned).equals(mine(assigned))) {
          rewindToDatabase(assigned);
        }
      }
    } catch (SQLException e) {
      // the database is away (down, restarting, failing over, dropped): connect again, from its progress
      disconnect(e);
      context.timeout(RETRY_MILLIS);
      throw new RetriableException("the database failed; trying again from its own progress: " + e.getMessage(), e);
    } finally {
      // an idle task is handed an empty batch at least this often, to look at the database's progress
      context.timeout(Math.min(RETRY_MILLIS, IDLE_CHECK_MILLIS));
    }
  }

  /** What this task last wrote as the progress of {@code partitions} (none for a partition at 0). */
  private Map<TopicPartition, Long> mine(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> mine = new HashMap<>();
    for (TopicPartition partition : partitions) {
      long next = progress.getOrDefault(partition, 0L);
      if (next > 0) {
        mine.put(partition, next);
      }
    }
    return mine;
  }

  private void rewindToDatabase(Collection<TopicPartition> partitions) throws SQLException {
    Map<TopicPartition, Long> stored = tables.progress(partitions);
    for (TopicPartition partition : partitions) {
      long next = stored.getOrDefault(partition, 0L); // none: a new or rebuilt database, from the start
      progress.put(partition, next);
      context.offset(partition, next);
    }
    log.info("going on from the database's progress: {}", stored.isEmpty() ? "none (from the start)" : stored);
  }

  private void disconnect(Exception cause) {
    log.warn("database connection lost ({}); will connect again and resume from the database's progress",
        cause.getMessage());
    if (tables != null) {
      tables.close();
      tables = null;
    }
  }

  /** One parsed event and where it came from. */
  private record Parsed(SinkRecord record, String key, Object event, Source source, Instant recordedAt) {}

  /**
   * Folds a batch in one transaction. When the database refuses the batch's data (not its
   * connection: a value a column cannot hold, say), folds its records one by one, each in its
   * own transaction, and dead-letters the one it refuses with the database's words.
   */
  private void fold(Collection<SinkRecord> records) throws SQLException {
    try {
      foldBatch(records);
    } catch (SQLException e) {
      if (!refusedData(e)) {
        throw e;
      }
      log.warn("the database refused a batch of {} records ({}); folding them one by one", records.size(),
          e.getMessage());
      for (SinkRecord record : records) {
        try {
          if (!foldBatch(List.of(record))) {
            return; // went back to the database's progress: the rest comes again
          }
        } catch (SQLException one) {
          if (!refusedData(one)) {
            throw one;
          }
          awaitDeadLetters(List.of(deadLetter(record, "the database refused it: " + one.getMessage())));
          TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
          Map<TopicPartition, Long> past = Map.of(partition, record.kafkaOffset() + 1);
          if (tables.lockProgress(List.of(partition)).equals(mine(List.of(partition)))) {
            tables.write(new LedgerFold(Map.of(), Map.of(), Map.of()), past);
            progress.putAll(past);
          } else {
            tables.rollback();
            rewindToDatabase(context.assignment());
            return;
          }
        }
      }
    }
  }

  /** A refusal of the data itself (SQLSTATE classes 22 and 23), which trying again would meet again. */
  private static boolean refusedData(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  /**
   * Folds {@code records} and writes them with their progress, or rolls everything back; false
   * when the database's progress was not this task's and the task went back to it instead.
   */
  private boolean foldBatch(Collection<SinkRecord> records) throws SQLException {
    try {
      return foldAndWrite(records);
    } catch (SQLException | RuntimeException e) {
      tables.rollback(); // never leave the progress rows locked behind a failed batch
      throw e;
    }
  }

  private boolean foldAndWrite(Collection<SinkRecord> records) throws SQLException {
    Set<TopicPartition> partitions = new HashSet<>();
    records.forEach(record -> partitions.add(new TopicPartition(record.topic(), record.kafkaPartition())));
    if (!tables.lockProgress(partitions).equals(mine(partitions))) {
      tables.rollback();
      log.warn("the database's progress of {} is not what this task wrote last", partitions);
      rewindToDatabase(context.assignment());
      return false;
    }
    Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    List<Future<Void>> deadLettered = new ArrayList<>();
    List<Parsed> parsed = new ArrayList<>();
    Set<String> accountIds = new HashSet<>();
    Set<String> transferIds = new HashSet<>();
    Set<String> usernames = new HashSet<>();
    for (SinkRecord record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
      if (record.kafkaOffset() < progress.getOrDefault(partition, 0L)) {
        continue; // folded before: the database has it
      }
      nextOffsets.put(partition, record.kafkaOffset() + 1);
      Parsed event;
      try {
        event = parse(record);
      } catch (UnfoldableException e) {
        deadLettered.add(deadLetter(record, e.getMessage()));
        continue;
      }
      parsed.add(event);
      if (event.event() instanceof AccountEvent) {
        accountIds.add(event.key());
      } else if (event.event() instanceof TransferEvent) {
        transferIds.add(event.key());
      } else {
        usernames.add(event.key());
      }
    }
    LedgerFold fold = new LedgerFold(tables.accounts(accountIds), tables.transfers(transferIds),
        tables.users(usernames));
    for (Parsed event : parsed) {
      String problem;
      try {
        if (event.event() instanceof AccountEvent account) {
          problem = fold.account(event.key(), account, event.source(), event.recordedAt());
        } else if (event.event() instanceof TransferEvent transfer) {
          problem = fold.transfer(event.key(), transfer, event.source(), event.recordedAt());
        } else {
          problem = fold.user(event.key(), (UserEvent) event.event(), event.source());
        }
      } catch (RuntimeException e) {
        // e.g. a currency that is not one, an amount that is no number, a field left out
        problem = "cannot be folded: " + e;
      }
      if (problem != null) {
        deadLettered.add(deadLetter(event.record(), problem));
      }
    }
    awaitDeadLetters(deadLettered);
    tables.write(fold, nextOffsets);
    progress.putAll(nextOffsets);
    return true;
  }

  /** The record as the event it must be, or why not. */
  private Parsed parse(SinkRecord record) {
    byte[] key = bytes(record.key(), "key");
    byte[] value = bytes(record.value(), "value");
    if (key == null || value == null) {
      throw new UnfoldableException(key == null ? "missing key" : "missing value");
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header.key(), bytes(header.value(), "header " + header.key()));
    }
    if (!seal.holds(record.topic(), key, value, headers)) {
      throw new UnfoldableException("not sealed by the projector for the query side (forged, or tampered with)");
    }
    Deserializer<?> values;
    if (record.topic().equals(ACCOUNTS)) {
      values = ACCOUNT_EVENTS;
    } else if (record.topic().equals(TRANSFERS)) {
      values = TRANSFER_EVENTS;
    } else if (record.topic().equals(USERS)) {
      values = USER_EVENTS;
    } else {
      throw new UnfoldableException("not an event topic of the ledger: " + record.topic());
    }
    Object event;
    try {
      event = values.deserialize(record.topic(), value);
    } catch (SerializationException e) {
      throw new UnfoldableException(e.getMessage());
    }
    return new Parsed(record, new String(key, StandardCharsets.UTF_8), event,
        new Source(record.topic(), record.kafkaPartition(), record.kafkaOffset()),
        Instant.ofEpochMilli(record.timestamp() == null ? 0 : record.timestamp()));
  }

  /** Raw bytes, as ByteArrayConverter gives them; another converter is a setting to fix, not a bad record. */
  private static byte[] bytes(Object converted, String what) {
    if (converted == null || converted instanceof byte[]) {
      return (byte[]) converted;
    }
    throw new ConnectException("the " + what + " arrived as " + converted.getClass().getSimpleName()
        + ": set key.converter, value.converter and header.converter to "
        + "org.apache.kafka.connect.converters.ByteArrayConverter (the seals cover the raw bytes)");
  }

  private Future<Void> deadLetter(SinkRecord record, String reason) {
    log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.kafkaPartition(), record.kafkaOffset(), reason);
    if (deadLetters == null) {
      throw new ConnectException("a record cannot be folded (" + reason + ") and this connector has no dead-letter "
          + "topic: set errors.tolerance=all and errors.deadletterqueue.topic.name");
    }
    return deadLetters.report(record, new UnfoldableException(reason));
  }

  /** Progress moves past a dead letter only once it is written. */
  private static void awaitDeadLetters(List<Future<Void>> written) {
    for (Future<Void> future : written) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetriableException("interrupted while writing a dead letter", e);
      } catch (ExecutionException e) {
        throw new RetriableException("could not write a dead letter: " + e.getCause(), e.getCause());
      }
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    // the database's progress, not what was handed to put: only what is committed there is done
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    for (TopicPartition partition : currentOffsets.keySet()) {
      Long next = progress.get(partition);
      if (next != null) {
        committed.put(partition, new OffsetAndMetadata(next));
      }
    }
    return committed;
  }

  @Override
  public void stop() {
    if (tables != null) {
      tables.close();
      tables = null;
    }
  }

  /** Why a record is not an event the ledger can fold: the reason its dead letter carries. */
  static final class UnfoldableException extends RuntimeException {
    UnfoldableException(String reason) {
      super(reason, null, false, false);
    }
  }
}
