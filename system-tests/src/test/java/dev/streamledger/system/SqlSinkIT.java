package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.ConnectWorker;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.system.support.SlowSystemTest;
import dev.streamledger.system.support.SqlLedger;
import dev.streamledger.system.support.TopicReader;
import dev.streamledger.testsupport.SharedPostgres;
import dev.streamledger.testsupport.TestSeals;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The SQL copy of the ledger (docs/sql.md) on real parts: the services on the shared broker, Kafka
 * Connect workers in distributed mode as processes of their own running the sql-sink plugin, and
 * PostgreSQL. The copy equals the query service's views whatever happens to the worker, to
 * Connect's offsets and to the database.
 */
@SlowSystemTest
class SqlSinkIT extends FullStack {

  private static final Duration CATCH_UP = Duration.ofSeconds(90);

  private final List<ConnectWorker.Cluster> clusters = new ArrayList<>();
  private final List<SqlLedger> ledgers = new ArrayList<>();
  /** This test's connector: a name of its own, so no two tests share a consumer group. */
  private String connector;

  @AfterEach
  void stopWorkersAndDropDatabases() {
    clusters.forEach(ConnectWorker.Cluster::close);
    clusters.clear();
    ledgers.forEach(SqlLedger::drop);
    ledgers.clear();
  }

  private SqlLedger ledger() {
    SqlLedger ledger = SqlLedger.create();
    ledgers.add(ledger);
    return ledger;
  }

  private ConnectWorker.Cluster cluster() {
    ConnectWorker.Cluster cluster = new ConnectWorker.Cluster();
    clusters.add(cluster);
    return cluster;
  }

  /** A worker of a Connect cluster of its own, running the sql-sink connector with {@code tasks} tasks into {@code ledger}. */
  private ConnectWorker copyingInto(SqlLedger ledger, int tasks) {
    ConnectWorker worker = cluster().start();
    connector = unique("sql-sink");
    worker.putConnector(connector, ledger.connector(tasks, unique("sql-dlq")));
    return worker;
  }

  /** Waits until the books balance (nothing in flight) and the copy equals the views. */
  private static void settled(Bank bank, List<String> accounts, SqlLedger ledger) {
    bank.awaitBalancedBooks("EUR");
    ledger.awaitSameAs(bank, accounts, CATCH_UP);
  }

  @Test
  void shouldCopyTheLedgerAsTheQueryServiceFoldsIt() throws Exception {
    SqlLedger ledger = ledger();
    copyingInto(ledger, 1);

    Bank bank = Bank.register(command, query, unique("sql"));
    List<String> accounts = bank.open(5, "EUR", "100.00");
    workload(bank, accounts, 40);
    settled(bank, accounts, ledger);
    try (Connection sql = SharedPostgres.connect(ledger.database()); Statement statement = sql.createStatement()) {
      // the views for people agree with the tables: each account's movements add up to its balance
      try (ResultSet rows = statement.executeQuery("select a.account_id, a.balance, coalesce(sum(m.net), 0)"
          + " from accounts a left join daily_movements m using (account_id) where a.owner = '" + bank.owner()
          + "' group by a.account_id, a.balance")) {
        int seen = 0;
        while (rows.next()) {
          assertThat(rows.getBigDecimal(3)).as("movements of %s", rows.getString(1))
              .isEqualByComparingTo(rows.getBigDecimal(2));
          seen++;
        }
        assertThat(seen).isEqualTo(accounts.size());
      }
      try (ResultSet open = statement.executeQuery("select count(*) from open_transfers t join accounts a"
          + " on a.account_id = t.from_account where a.owner = '" + bank.owner() + "'")) {
        open.next();
        assertThat(open.getLong(1)).as("open transfers once the books are balanced").isZero();
      }
    }
  }

  @Test
  void shouldLoseNothingAndApplyNothingTwiceWhenTheWorkerIsKilledMidStream() throws Exception {
    SqlLedger ledger = ledger();
    ConnectWorker.Cluster cluster = cluster();
    ConnectWorker first = cluster.start();
    first.putConnector(connector = unique("sql-sink"), ledger.connector(1, unique("sql-dlq")));
    Bank bank = Bank.register(command, query, unique("sql-kill"));
    List<String> accounts = bank.open(4, "EUR", "100.00");

    AtomicInteger sent = new AtomicInteger();
    CompletableFuture<Void> transfers = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < 120; i++) {
        bank.transfer(accounts.get(i % 4), accounts.get((i + 1) % 4), "1.25");
        sent.incrementAndGet();
      }
    });
    Awaitility.await("transfers flowing into the copy").atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(SQLException.class) // the tables are made by the task's first batch
        .until(() -> sent.get() >= 30 && ledger.count("statement_lines") > 30);
    first.kill();

    ConnectWorker second = cluster.start();
    transfers.get();
    second.awaitRunning(connector, 1);
    settled(bank, accounts, ledger);
  }

  @Test
  void shouldLeaveTheDatabaseAsItIsWhenConnectsOffsetsAreResetToTheStart() throws Exception {
    SqlLedger ledger = ledger();
    ConnectWorker worker = copyingInto(ledger, 2);
    Bank bank = Bank.register(command, query, unique("sql-reset"));
    List<String> accounts = bank.open(3, "EUR", "50.00");
    workload(bank, accounts, 15);
    settled(bank, accounts, ledger);
    String before = ledger.digestOf(accounts);

    worker.resetOffsets(connector);
    worker.awaitRunning(connector, 2);
    // events after the reset reach the copy: the tasks ran past everything that was there before it
    Bank later = Bank.register(command, query, unique("sql-reset-later"));
    List<String> laterAccounts = later.open(2, "EUR", "20.00");
    workload(later, laterAccounts, 3);
    later.awaitBalancedBooks("EUR");
    ledger.awaitSameAs(later, laterAccounts, CATCH_UP);

    assertThat(ledger.digestOf(accounts)).as("the rows before the reset, not one written again").isEqualTo(before);
    ledger.assertSameAs(bank, accounts);
    Awaitility.await("Connect's offsets committed again").atMost(CATCH_UP).pollInterval(Duration.ofMillis(500))
        .until(() -> worker.offsets(connector).path("offsets").size() > 0);
  }

  @Test
  void shouldMoveTasksToTheWorkerThatStaysAndKeepTheRowsExact() throws Exception {
    SqlLedger ledger = ledger();
    ConnectWorker.Cluster cluster = cluster();
    ConnectWorker leaving = cluster.start();
    ConnectWorker staying = cluster.start();
    leaving.putConnector(connector = unique("sql-sink"), ledger.connector(3, unique("sql-dlq")));
    Awaitility.await("tasks on both workers").atMost(CATCH_UP).pollInterval(Duration.ofMillis(500))
        .until(() -> workersOf(staying.status(connector)).size() == 2);

    Bank bank = Bank.register(command, query, unique("sql-two"));
    List<String> accounts = bank.open(6, "EUR", "100.00");
    CompletableFuture<Void> transfers = CompletableFuture.runAsync(() -> workload(bank, accounts, 60));
    Awaitility.await("transfers flowing into the copy").atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(SQLException.class) // the tables are made by the task's first batch
        .until(() -> ledger.count("statement_lines") > 40);
    leaving.stop();

    Awaitility.await("every task on the worker that stayed").atMost(CATCH_UP).pollInterval(Duration.ofMillis(500))
        .until(() -> workersOf(staying.status(connector)).equals(Set.of(staying.url().replace("http://", ""))));
    staying.awaitRunning(connector, 3);
    transfers.get();
    settled(bank, accounts, ledger);
  }

  @Test
  void shouldDeadLetterWhatIsNotASealedEventWithItsReasonAndGoOn() throws Exception {
    SqlLedger ledger = ledger();
    String deadLetters = unique("sql-dlq");
    ConnectWorker worker = cluster().start();
    worker.putConnector(connector = unique("sql-sink"), ledger.connector(1, deadLetters));
    Bank bank = Bank.register(command, query, unique("sql-bad"));
    String account = bank.open("EUR", "10.00");
    ledger.awaitSameAs(bank, List.of(account), CATCH_UP);

    String topic = Topics.ACCOUNT_EVENTS.name();
    int partition = Topics.ACCOUNT_EVENTS.partitionOf(account, KafkaSettings.DEFAULT_PARTITIONS);
    byte[] key = account.getBytes(StandardCharsets.UTF_8);
    byte[] gap = Topics.ACCOUNT_EVENTS.valueSerde().serializer().serialize(topic, new AccountEvent.FundsDeposited(
        account, 99, "sql-bad-request", "5.00", "15.00", Instant.now(), null));
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, partition, key, "not json".getBytes(StandardCharsets.UTF_8)));
      producer.send(sealed(topic, partition, key, "{\"type\":\"Nonsense\"}".getBytes(StandardCharsets.UTF_8)));
      producer.send(sealed(topic, partition, key, gap));
      producer.flush();
    }
    // the same partition, behind the bad records
    assertThat(Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"2.00\"}").status())
        .isEqualTo(201);
    ledger.awaitSameAs(bank, List.of(account), CATCH_UP);

    List<ConsumerRecord<byte[], byte[]>> parked = TopicReader.read(deadLetters, CATCH_UP, 3,
        record -> Arrays.equals(record.key(), key));
    assertThat(parked).extracting(record -> reason(record)).containsExactly(
        "not sealed by the projector for the query side (forged, or tampered with)",
        reason(parked.get(1)), // the JSON parser's words
        "version 99 of account '" + account + "' follows version 2");
    assertThat(reason(parked.get(1))).isNotBlank();
    assertThat(parked.get(0).value()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
    assertThat(parked).allSatisfy(record -> {
      assertThat(header(record, "__connect.errors.topic")).isEqualTo(topic);
      assertThat(header(record, "__connect.errors.partition")).isEqualTo(Integer.toString(partition));
    });
  }

  @Test
  void shouldRebuildADroppedDatabaseFromOffsetZeroToTheSameContent() throws Exception {
    SqlLedger ledger = ledger();
    ConnectWorker worker = copyingInto(ledger, 2);
    Bank bank = Bank.register(command, query, unique("sql-drop"));
    List<String> accounts = bank.open(3, "EUR", "50.00");
    workload(bank, accounts, 15);
    settled(bank, accounts, ledger);
    String before = ledger.digest();

    SharedPostgres.dropDatabase(ledger.database());
    SharedPostgres.createDatabase(ledger.database());

    Awaitility.await("the copy rebuilt from offset 0").atMost(CATCH_UP).pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions().until(ledger::digest, before::equals);
    ledger.assertSameAs(bank, accounts);
    worker.awaitRunning(connector, 2);
  }

  /** Transfers around {@code accounts}, some too large to be made (rejected) and a withdrawal. */
  private void workload(Bank bank, List<String> accounts, int transfers) {
    for (int i = 0; i < transfers; i++) {
      String amount = i % 7 == 6 ? "1000.00" : "2.50";
      assertThat(bank.transfer(accounts.get(i % accounts.size()), accounts.get((i + 1) % accounts.size()), amount)
          .status()).isIn(201, 202, 422);
    }
    assertThat(Http.post(command + "/accounts/" + accounts.get(0) + "/withdrawals", "{\"amount\":\"1.00\"}")
        .status()).isEqualTo(201);
  }

  private static ProducerRecord<byte[], byte[]> sealed(String topic, int partition, byte[] key, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    TestSeals.of(SealedFor.QUERY_SERVICE).seal(topic, key, value, headers);
    return new ProducerRecord<>(topic, partition, key, value, headers);
  }

  private static String reason(ConsumerRecord<byte[], byte[]> record) {
    return header(record, "__connect.errors.exception.message");
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The workers ({@code host:port}) the connector's tasks run on. */
  private static Set<String> workersOf(JsonNode status) {
    Set<String> workers = new HashSet<>();
    status.path("tasks").forEach(task -> workers.add(task.path("worker_id").asString()));
    return workers;
  }
}
