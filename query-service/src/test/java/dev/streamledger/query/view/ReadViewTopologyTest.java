package dev.streamledger.query.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.contract.user.UserEvent.UserDeleted;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import dev.streamledger.query.store.ViewPositions;
import dev.streamledger.testsupport.TestSeals;
import dev.streamledger.testsupport.TopologyDrivers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadViewTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestSeals.Input<UserEvent> events;
  private TestSeals.Input<String> rawEvents;
  private TestSeals.Input<Outcome> outcomes;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private KeyValueStore<String, UserView> users;

  @BeforeEach
  void start() {
    driver = TopologyDrivers.start(ReadViewTopology.build(TestSeals.of(SealedFor.QUERY_SERVICE)), "read-view-test", stateDir, T0,
        StreamsConfig.AT_LEAST_ONCE);
    events = TestSeals.input(driver, Topics.USER_EVENTS);
    rawEvents = TestSeals.textInput(driver, Topics.USER_EVENTS);
    outcomes = TestSeals.input(driver, Topics.OUTCOMES);
    deadLetters = TopologyDrivers.rawOutput(driver, Topics.DEAD_LETTERS);
    users = driver.getKeyValueStore(ReadViewTopology.USERS_STORE);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldFoldRegistrationsAndDeletionsWithTheirPosition() {
    events.pipeInput("alice", registered("alice", 1, "Alice"));
    assertThat(users.get("alice")).satisfies(view -> {
      assertThat(view.displayName()).isEqualTo("Alice");
      assertThat(view.deleted()).isFalse();
      assertThat(view.sourceOffset()).isZero();
    });

    events.pipeInput("alice", new UserDeleted("alice", 1, "r2", T0, RequestTimes.receivedAt(T0)));
    assertThat(users.get("alice").deleted()).isTrue();

    events.pipeInput("alice", registered("alice", 2, "Alice again"));
    assertThat(users.get("alice")).satisfies(view -> {
      assertThat(view.displayName()).isEqualTo("Alice again");
      assertThat(view.generation()).isEqualTo(2);
      assertThat(view.sourceOffset()).isEqualTo(2);
    });
  }

  @Test
  void shouldKeepTheFirstOutcomeOfEachRequest() {
    outcomes.pipeInput("r1", Outcome.accepted("r1", Accepted.USER_REGISTERED, "alice", "ok", OutcomeData.NONE, T0));
    outcomes.pipeInput("r1", Outcome.rejected("r1", Rejection.USERNAME_TAKEN, "alice", "late duplicate", T0));
    KeyValueStore<String, Outcome> kept = driver.getKeyValueStore(ReadViewTopology.OUTCOMES_STORE);
    assertThat(kept.get("r1").code()).isEqualTo(Accepted.USER_REGISTERED);
  }

  @Test
  void shouldExpireOutcomesWithTheOutcomesTopicRetention() {
    outcomes.pipeInput("old", Outcome.accepted("old", Accepted.USER_REGISTERED, "a", "ok", OutcomeData.NONE, T0), T0);
    Instant later = T0.plus(Topics.OUTCOME_RETENTION).plusSeconds(7200);
    outcomes.pipeInput("new", Outcome.accepted("new", Accepted.USER_REGISTERED, "b", "ok", OutcomeData.NONE, later), later);
    KeyValueStore<String, Outcome> kept = driver.getKeyValueStore(ReadViewTopology.OUTCOMES_STORE);
    assertThat(kept.get("old")).isNull();
    assertThat(kept.get("new")).isNotNull();
  }

  @Test
  void shouldDeadLetterWhatIsNotAUserEventAndKeepFolding() {
    rawEvents.pipeInput("bob", "garbage");
    events.pipeInput("mallory", registered("bob", 1, "Bob"));
    events.pipeInput("bob", registered("bob", 1, "Bob"));

    assertThat(deadLetters.readRecordsToList()).hasSize(2).allSatisfy(r ->
        assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_TOPIC))).isEqualTo(Topics.USER_EVENTS.name()));
    assertThat(users.get("bob").displayName()).isEqualTo("Bob");
    assertThat(users.get("mallory")).isNull();
  }

  @Test
  void shouldFoldAccountEventsInVersionOrderAndSkipRedeliveries() {
    TestSeals.Input<AccountEvent> accountEvents = TestSeals.input(driver, Topics.ACCOUNT_EVENTS);
    KeyValueStore<String, AccountView> accounts = driver.getKeyValueStore(ReadViewTopology.ACCOUNTS_STORE);
    var opened = new AccountEvent.AccountOpened("acc", 1, "r1", "alice", "EUR", T0, RequestTimes.receivedAt(T0), "alice-subject");
    var deposited = new AccountEvent.FundsDeposited("acc", 2, "r2", "5.00", "5.00", T0, RequestTimes.receivedAt(T0));
    var withdrawn = new AccountEvent.FundsWithdrawn("acc", 3, "r3", "1.25", "3.75", T0, RequestTimes.receivedAt(T0));

    accountEvents.pipeInput("acc", opened);
    assertThat(accounts.get("acc").balance()).isEqualTo("0.00");
    accountEvents.pipeInput("acc", deposited);
    accountEvents.pipeInput("acc", deposited);                 // redelivered: no effect
    accountEvents.pipeInput("acc", withdrawn);
    assertThat(accounts.get("acc")).satisfies(view -> {
      assertThat(view.balance()).isEqualTo("3.75");
      assertThat(view.version()).isEqualTo(3);
    });

    accountEvents.pipeInput("acc", new AccountEvent.FundsDeposited("acc", 5, "r5", "1.00", "4.75", T0, RequestTimes.receivedAt(T0)));
    assertThat(deadLetters.readRecordsToList()).hasSize(1);    // a gap in versions is not folded
    assertThat(accounts.get("acc").version()).isEqualTo(3);

    accountEvents.pipeInput("odd", new AccountEvent.AccountOpened("odd", 1, "r6", "alice", "XYZ", T0, RequestTimes.receivedAt(T0), "alice-subject"));
    accountEvents.pipeInput("acc", new AccountEvent.FundsDeposited("acc", 4, "r7", "1.00", "4.75", T0, RequestTimes.receivedAt(T0)));
    assertThat(deadLetters.readRecordsToList()).hasSize(1);    // not a currency: parked, not a crash
    assertThat(accounts.get("acc").balance()).isEqualTo("4.75");
  }

  @Test
  void shouldFoldOnlyWhatTheProjectorSealedForTheQueryService() {
    KeyValueStore<String, AccountView> accounts = driver.getKeyValueStore(ReadViewTopology.ACCOUNTS_STORE);
    var opened = new AccountEvent.AccountOpened("acc", 1, "r1", "alice", "EUR", T0, RequestTimes.receivedAt(T0), "alice-subject");
    var forgedOpening = new AccountEvent.AccountOpened("forged", 1, "r2", "mallory", "EUR", T0, RequestTimes.receivedAt(T0), "m");
    // a producer with write access to the events, but none of the projector's keys
    TopologyDrivers.input(driver, Topics.ACCOUNT_EVENTS).pipeInput("forged", forgedOpening);
    // a real seal, moved to another key: the opening of "acc" written again as "elsewhere"
    var sealed = TestSeals.written(Topics.ACCOUNT_EVENTS, "acc", opened, T0);
    TopologyDrivers.input(driver, Topics.ACCOUNT_EVENTS).pipeInput(
        new org.apache.kafka.streams.test.TestRecord<>("elsewhere", opened, sealed.headers()));
    // sealed, but for another reader (the projector itself) with its key
    var forOther = new org.apache.kafka.common.header.internals.RecordHeaders();
    TestSeals.of(SealedFor.PROJECTOR).seal(Topics.OUTCOMES.name(), "r9".getBytes(StandardCharsets.UTF_8),
        Topics.OUTCOMES.valueSerde().serializer().serialize(Topics.OUTCOMES.name(),
            Outcome.accepted("r9", Accepted.USER_REGISTERED, "m", "ok", OutcomeData.NONE, T0)), forOther);
    TopologyDrivers.input(driver, Topics.OUTCOMES).pipeInput(new org.apache.kafka.streams.test.TestRecord<>("r9",
        Outcome.accepted("r9", Accepted.USER_REGISTERED, "m", "ok", OutcomeData.NONE, T0), forOther));

    assertThat(deadLetters.readRecordsToList()).hasSize(3).allSatisfy(letter -> assertThat(
        Headers.text(letter.headers().lastHeader(Headers.DLT_REASON))).startsWith("not sealed by the projector"));
    assertThat(accounts.get("forged")).isNull();
    assertThat(accounts.get("elsewhere")).isNull();
    assertThat(driver.<String, Outcome>getKeyValueStore(ReadViewTopology.OUTCOMES_STORE).get("r9")).isNull();

    TestSeals.input(driver, Topics.ACCOUNT_EVENTS).pipeInput("acc", opened);
    assertThat(accounts.get("acc").owner()).isEqualTo("alice");
  }

  private static UserRegistered registered(String name, long generation, String displayName) {
    return new UserRegistered(name, generation, "r-" + generation, name, displayName, T0, RequestTimes.receivedAt(T0), name + "-subject");
  }

  @Test
  void shouldTellEachFoldedAccountEventAndTheOffsetOfEveryRecordRead() {
    java.util.List<String> folded = new java.util.ArrayList<>();
    ViewPositions positions = new ViewPositions();
    try (TopologyTestDriver observed = TopologyDrivers.start(
        ReadViewTopology.build(TestSeals.of(SealedFor.QUERY_SERVICE), (account, version) -> folded.add(account + "@" + version), positions),
        "read-view-listener-test", stateDir.resolve("observed"), T0, StreamsConfig.AT_LEAST_ONCE)) {
      var accountEvents = TestSeals.input(observed, Topics.ACCOUNT_EVENTS);
      accountEvents.pipeInput("acc", new AccountEvent.AccountOpened("acc", 1, "r1", "alice", "EUR", T0, RequestTimes.receivedAt(T0), "alice-subject"));
      accountEvents.pipeInput("acc", new AccountEvent.FundsDeposited("acc", 2, "r2", "5.00", "5.00", T0, RequestTimes.receivedAt(T0)));
      accountEvents.pipeInput("acc", new AccountEvent.FundsDeposited("acc", 2, "r2", "5.00", "5.00", T0, RequestTimes.receivedAt(T0))); // again
      accountEvents.pipeInput("acc", new AccountEvent.FundsDeposited("acc", 9, "r9", "1.00", "6.00", T0, RequestTimes.receivedAt(T0))); // a gap
      assertThat(folded).containsExactly("acc@1", "acc@2"); // not the redelivery, not the dead letter
      // every record read counts, folded or not (the driver's partition is 0)
      assertThat(positions.of(Topics.ACCOUNT_EVENTS.name(), 0)).hasValue(3);
      assertThat(positions.of(Topics.USER_EVENTS.name(), 0)).isEmpty();
      assertThat(positions.recordsRead()).isEqualTo(4);
    }
  }

  @Test
  void shouldFoldEventsOfEverySchemaVersionWithTheirCorrectedTimes() {
    var raw = TestSeals.textInput(driver, Topics.ACCOUNT_EVENTS);
    KeyValueStore<String, StatementEntry> statement = driver.getKeyValueStore(ReadViewTopology.STATEMENTS_STORE);
    // version 1: occurredAt was the time the request was received
    raw.pipeInput("acc", "{\"type\":\"AccountOpened\",\"accountId\":\"acc\",\"version\":1,\"requestId\":\"r1\","
        + "\"owner\":\"alice\",\"currency\":\"EUR\",\"occurredAt\":\"2026-03-01T10:00:00Z\"}");
    // version 2: a device a day ahead created the deposit 5 minutes before it sent it
    raw.pipeInput("acc", "{\"schemaVersion\":2,\"type\":\"FundsDeposited\",\"accountId\":\"acc\",\"version\":2,"
        + "\"requestId\":\"r2\",\"amount\":\"5.00\",\"balanceAfter\":\"5.00\",\"occurredAt\":\"2026-03-01T10:55:00Z\","
        + "\"times\":{\"receivedAt\":\"2026-03-01T11:00:00Z\",\"clientCreatedAt\":\"2026-03-02T10:55:00Z\","
        + "\"clientSentAt\":\"2026-03-02T11:00:00Z\"}}");

    assertThat(statement.get(ReadViewTopology.statementKey("acc", 1)).occurredAt())
        .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(statement.get(ReadViewTopology.statementKey("acc", 2)).occurredAt())
        .isEqualTo(Instant.parse("2026-03-01T10:55:00Z"));
    KeyValueStore<String, AccountView> accounts = driver.getKeyValueStore(ReadViewTopology.ACCOUNTS_STORE);
    assertThat(accounts.get("acc").balance()).isEqualTo("5.00");
  }
}
