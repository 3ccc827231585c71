package dev.streamledger.sqlsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent.FundsDeposited;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.testsupport.SharedPostgres;
import dev.streamledger.testsupport.TestSeals;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task on a real PostgreSQL, driven as Kafka Connect drives it (open, put, preCommit) through
 * a context that records what the task asks of Connect: where it goes back to, what it
 * dead-letters. What the worker itself does is SqlSinkIT's (module system-tests).
 */
class SqlSinkTaskIT {

  private static final String TOPIC = Topics.ACCOUNT_EVENTS.name();
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  private String database;
  private final List<SqlSinkTask> tasks = new ArrayList<>();

  @BeforeEach
  void createDatabase() {
    database = "task_" + UUID.randomUUID().toString().substring(0, 8);
    SharedPostgres.createDatabase(database);
  }

  @AfterEach
  void stop() {
    tasks.forEach(SqlSinkTask::stop);
    SharedPostgres.dropDatabase(database);
  }

  /** What a task asked of Connect. */
  private static final class Context implements SinkTaskContext {
    final Map<TopicPartition, Long> rewound = new HashMap<>();
    final List<String> deadLetters = new ArrayList<>();

    @Override
    public Map<String, String> configs() {
      return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
      rewound.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition partition, long offset) {
      rewound.put(partition, offset);
    }

    @Override
    public void timeout(long timeoutMs) {}

    @Override
    public Set<TopicPartition> assignment() {
      return Set.of(PARTITION);
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    @Override
    public ErrantRecordReporter errantRecordReporter() {
      return (record, error) -> {
        deadLetters.add(record.kafkaOffset() + ": " + error.getMessage());
        Future<Void> written = CompletableFuture.completedFuture(null);
        return written;
      };
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }

  private Context start() {
    Context context = new Context();
    SqlSinkTask task = new SqlSinkTask();
    task.initialize(context);
    task.start(Map.of(SqlSinkConfig.URL, SharedPostgres.url(database), SqlSinkConfig.USER, SharedPostgres.USER,
        SqlSinkConfig.PASSWORD, SharedPostgres.password(),
        SqlSinkConfig.SEAL_KEYS, TestSeals.keysOf(SealedFor.QUERY_SERVICE).get(0)));
    task.open(List.of(PARTITION));
    tasks.add(task);
    return context;
  }

  private SqlSinkTask task(int index) {
    return tasks.get(index);
  }

  /** The account's event as the projector writes it: sealed for the query side, at {@code offset}. */
  private static SinkRecord event(AccountEvent event, long offset) {
    byte[] key = event.accountId().getBytes(StandardCharsets.UTF_8);
    byte[] value = Topics.ACCOUNT_EVENTS.valueSerde().serializer().serialize(TOPIC, event);
    RecordHeaders sealed = new RecordHeaders();
    TestSeals.of(SealedFor.QUERY_SERVICE).seal(TOPIC, key, value, sealed);
    ConnectHeaders headers = new ConnectHeaders();
    for (Header header : sealed) {
      headers.addBytes(header.key(), header.value());
    }
    return new SinkRecord(TOPIC, 0, null, key, null, value, offset, T.toEpochMilli(),
        org.apache.kafka.common.record.TimestampType.CREATE_TIME, headers);
  }

  private static AccountEvent opened(String id) {
    return new AccountOpened(id, 1, "r-" + id, "alice", "EUR", T, null, null);
  }

  private static AccountEvent deposit(String id, long version, String balance) {
    return new FundsDeposited(id, version, "r-" + id + version, "1.00", balance, T, null);
  }

  private long progress() throws SQLException {
    try (Connection sql = SharedPostgres.connect(database); Statement statement = sql.createStatement();
        ResultSet row = statement.executeQuery("select coalesce(max(next_offset), 0) from sink_progress")) {
      row.next();
      return row.getLong(1);
    }
  }

  private long version(String account) throws SQLException {
    try (Connection sql = SharedPostgres.connect(database); Statement statement = sql.createStatement();
        ResultSet row = statement.executeQuery("select version from accounts where account_id = '" + account + "'")) {
      return row.next() ? row.getLong(1) : 0;
    }
  }

  @Test
  void shouldGoBackToTheDatabasesProgressBeforeFoldingAnything() throws SQLException {
    Context context = start();
    // the first batch connects and asks Connect to seek to the database's progress: none yet, 0
    task(0).put(List.of(event(opened("a"), 5)));
    assertThat(context.rewound).containsEntry(PARTITION, 0L);
    assertThat(progress()).isZero();

    task(0).put(List.of(event(opened("a"), 0), event(deposit("a", 2, "1.00"), 2)));
    assertThat(progress()).isEqualTo(3);
    assertThat(version("a")).isEqualTo(2);
    // delivered again (Connect's offsets lost): skipped, nothing changes
    task(0).put(List.of(event(opened("a"), 0), event(deposit("a", 2, "1.00"), 2)));
    assertThat(progress()).isEqualTo(3);
    assertThat(task(0).preCommit(Map.of(PARTITION, new org.apache.kafka.clients.consumer.OffsetAndMetadata(3))))
        .containsEntry(PARTITION, new org.apache.kafka.clients.consumer.OffsetAndMetadata(3));
  }

  @Test
  void shouldLetATaskThatLostItsPartitionWriteNothing() throws SQLException {
    Context zombie = start();
    task(0).put(List.of());                                       // connects
    task(0).put(List.of(event(opened("z"), 0)));                  // progress 1
    Context owner = start();                                      // the partition's new owner
    task(1).put(List.of());                                       // connects: goes back to 1
    assertThat(owner.rewound).containsEntry(PARTITION, 1L);
    task(1).put(List.of(event(deposit("z", 2, "1.00"), 1)));      // progress 2

    // the old owner, not yet told, folds what it polled before the rebalance
    zombie.rewound.clear();
    task(0).put(List.of(event(deposit("z", 2, "1.00"), 1), event(deposit("z", 3, "2.00"), 2)));

    assertThat(zombie.rewound).as("the old owner went back to the database's progress").containsEntry(PARTITION, 2L);
    assertThat(progress()).isEqualTo(2);
    assertThat(version("z")).isEqualTo(2);
  }

  @Test
  void shouldDeadLetterTheOneRecordTheDatabaseRefusesAndFoldTheRest() throws SQLException {
    Context context = start();
    task(0).put(List.of());
    try (Connection sql = SharedPostgres.connect(database); Statement statement = sql.createStatement()) {
      statement.execute("alter table accounts add constraint not_b check (account_id <> 'b')");
    }
    task(0).put(List.of(event(opened("a"), 0), event(opened("b"), 1), event(opened("c"), 2)));

    assertThat(context.deadLetters).singleElement().asString().startsWith("1: the database refused it");
    assertThat(version("a")).isEqualTo(1);
    assertThat(version("b")).isZero();
    assertThat(version("c")).isEqualTo(1);
    assertThat(progress()).isEqualTo(3);
  }

  @Test
  void shouldTryAgainFromTheStartWhenTheDatabaseIsDroppedAndMadeAnew() throws SQLException {
    Context context = start();
    task(0).put(List.of());
    task(0).put(List.of(event(opened("a"), 0), event(deposit("a", 2, "1.00"), 1)));
    assertThat(progress()).isEqualTo(2);

    SharedPostgres.dropDatabase(database);
    SharedPostgres.createDatabase(database);
    assertThatThrownBy(() -> task(0).put(List.of(event(deposit("a", 3, "2.00"), 2))))
        .isInstanceOf(RetriableException.class);
    context.rewound.clear();
    task(0).put(List.of(event(deposit("a", 3, "2.00"), 2)));      // Connect's retry: connects, migrates, goes back
    assertThat(context.rewound).containsEntry(PARTITION, 0L);
    assertThat(version("a")).isZero();

    task(0).put(List.of(event(opened("a"), 0), event(deposit("a", 2, "1.00"), 1), event(deposit("a", 3, "2.00"), 2)));
    assertThat(version("a")).isEqualTo(3);
  }
}
