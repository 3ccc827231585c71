package dev.streamledger.projector.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.account.AccountCommand.DebitForTransfer;
import dev.streamledger.contract.account.AccountCommand.Deposit;
import dev.streamledger.contract.account.AccountCommand.TransferSettled;
import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.OpenedAccount;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.projector.ProjectorTopology;
import dev.streamledger.projector.account.AccountTopology;
import dev.streamledger.projector.system.TestAuthenticity;
import dev.streamledger.testsupport.TopologyDrivers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command sent with an idempotency key takes effect once, and every use of the key gets one
 * answer. A broken memory of keys can loop the driver forever, deaf to interrupts: each test fails
 * after a minute instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdempotencyTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  /** The Idempotency-Key every keyed command of these tests was made with (and carries in its header). */
  private static final String KEY_TEXT = "key-1";

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private KeyedInput<IdempotentCommand> keyed;
  private TestInputTopic<String, AccountCommand> accountCommands;
  private TestOutputTopic<String, AccountEvent> accountEvents;
  private TestOutputTopic<String, Outcome> outcomes;
  private KeyedInput<UserCommand> userCommands;
  private TestOutputTopic<String, UserEvent> userEvents;

  @BeforeEach
  void start() {
    driver = TopologyDrivers.start(ProjectorTopology.build(TestAuthenticity.authenticity()), "idempotency-topology-test", stateDir, T0,
        StreamsConfig.EXACTLY_ONCE_V2);
    keyed = new KeyedInput<>(TopologyDrivers.input(driver, Topics.IDEMPOTENT_COMMANDS));
    accountCommands = TopologyDrivers.input(driver, Topics.ACCOUNT_COMMANDS);
    accountEvents = TopologyDrivers.output(driver, Topics.ACCOUNT_EVENTS);
    outcomes = TopologyDrivers.output(driver, Topics.OUTCOMES);
    userCommands = new KeyedInput<>(TopologyDrivers.input(driver, Topics.USER_COMMANDS));
    userEvents = TopologyDrivers.output(driver, Topics.USER_EVENTS);
    userCommands.pipeInput("alice", new UserCommand.ClaimUsername("r0", "alice", "alice", "Alice", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
    userCommands.pipeInput("alice", new UserCommand.RequestAccount("open-a", "alice", "a", "EUR", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
    userCommands.pipeInput("alice", new UserCommand.RequestAccount("open-b", "alice", "b", "EUR", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
    accountCommands.pipeInput("a", new Deposit("fund-a", "a", "10.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()));
    outcomes.readValuesToList();
    accountEvents.readValuesToList();
    userEvents.readValuesToList();
  }

  /** The key id of the test's key as {@code subject} sends it: keys are their sender's own. */
  private static String key(String subject) {
    return RequestIds.keyId(subject, KEY_TEXT);
  }

  /** Records that carry the test's key in their header, as the command service sends them. */
  private static final class KeyedInput<V> {
    private final TestInputTopic<String, V> topic;

    KeyedInput(TestInputTopic<String, V> topic) {
      this.topic = topic;
    }

    void pipeInput(String key, V value) {
      topic.pipeInput(new TestRecord<>(key, value, keyHeader(), (Instant) null));
    }
  }

  private static RecordHeaders keyHeader() {
    var headers = new RecordHeaders();
    headers.add(Headers.IDEMPOTENCY_KEY, Headers.utf8(KEY_TEXT));
    return headers;
  }

  private static UserCommand claim(String requestId) {
    return new UserCommand.ClaimUsername(requestId, "carol", "carol", "Carol", RequestTimes.receivedAt(T0),
        TestAuthenticity.of("carol"));
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldPassTheFirstUseOfAKeyOnAndAnswerARetryWithTheOriginalOutcome() {
    String requestId = RequestIds.keyed(key("operator"), "f1");
    keyed.pipeInput(requestId, IdempotentCommand.of(new Deposit(requestId, "a", "5.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()), "attempt"));
    Outcome original = outcomes.readValue();
    assertThat(original.code()).isEqualTo(Accepted.FUNDS_DEPOSITED);
    assertThat(original.data().fields()).containsEntry("balance", "15.00");

    keyed.pipeInput(requestId, IdempotentCommand.of(new Deposit(requestId, "a", "5.00", RequestTimes.receivedAt(T0.plusSeconds(60)), TestAuthenticity.operator()), "attempt"));

    assertThat(outcomes.readKeyValuesToList()).singleElement().satisfies(answer -> {
      assertThat(answer.key).isEqualTo(requestId);
      assertThat(answer.value).isEqualTo(original.asReplay());
      assertThat(answer.value.replayed()).isTrue();
    });
    assertThat(accountEvents.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldRefuseTheKeyForAnotherRequestAndLeaveTheFirstAlone() {
    String first = RequestIds.keyed(key("operator"), "f1");
    String other = RequestIds.keyed(key("operator"), "f2");
    keyed.pipeInput(first, IdempotentCommand.of(new Deposit(first, "a", "5.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()), "attempt"));
    keyed.pipeInput(other, IdempotentCommand.of(new Deposit(other, "a", "7.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()), "attempt"));
    keyed.pipeInput(first, IdempotentCommand.of(new Deposit(first, "a", "5.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()), "attempt"));

    List<Outcome> answers = outcomes.readValuesToList();
    assertThat(answers).extracting(Outcome::requestId).containsExactly(first, other, first);
    assertThat(answers.get(1).code()).isEqualTo(Rejection.IDEMPOTENCY_KEY_REUSED);
    assertThat(answers.get(1).isAccepted()).isFalse();
    assertThat(answers.get(2)).isEqualTo(answers.get(0).asReplay());
    assertThat(accountEvents.readValuesToList()).singleElement()
        .isInstanceOfSatisfying(AccountEvent.FundsDeposited.class, e -> assertThat(e.amount()).isEqualTo("5.00"));
  }

  @Test
  void shouldAnswerAVersionOneRetryThatArrivedBeforeTheOutcomeOnceTheOutcomeArrives() {
    String requestId = RequestIds.keyed(key("carol"), "f1");
    // records of schema version 1 have no attempt; their retries wait for the original's outcome.
    // the claim reached the username before its keyed twin (as a redelivery would): the keyed
    // command is passed on, dropped there as already decided, and its outcome is not yet seen here
    userCommands.pipeInput("carol", claim(requestId));
    Outcome decided = outcomes.readValue();
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), null));
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), null));
    assertThat(outcomes.isEmpty()).isTrue();

    var outcomesIn = TopologyDrivers.input(driver, Topics.OUTCOMES);
    outcomesIn.pipeInput(TestAuthenticity.written(Topics.OUTCOMES, requestId, decided));

    assertThat(outcomes.readKeyValuesToList()).singleElement().satisfies(answer -> {
      assertThat(answer.key).isEqualTo(requestId);
      assertThat(answer.value).isEqualTo(decided.asReplay());
    });
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), null));
    assertThat(outcomes.readValue()).isEqualTo(decided.asReplay());
    assertThat(userEvents.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldRememberOnlyAnOutcomeTheProjectorSealed() {
    String requestId = RequestIds.keyed(key("carol"), "f1");
    userCommands.pipeInput("carol", claim(requestId));
    Outcome decided = outcomes.readValue();
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), null));
    var deadLetters = TopologyDrivers.rawOutput(driver, Topics.DEAD_LETTERS);
    var outcomesIn = TopologyDrivers.input(driver, Topics.OUTCOMES);
    // a producer with write access to the outcomes, but not the projector's key, tries to decide
    // what retries of this request are answered: unsealed, and a real seal moved to another key
    Outcome forged = Outcome.rejected(requestId, Rejection.USERNAME_TAKEN, "carol", "forged", T0);
    outcomesIn.pipeInput(requestId, forged);
    var sealedElsewhere = TestAuthenticity.written(Topics.OUTCOMES, "another-request", forged);
    outcomesIn.pipeInput(new TestRecord<>(requestId, forged, sealedElsewhere.headers()));

    assertThat(outcomes.isEmpty()).isTrue();
    assertThat(deadLetters.readRecordsToList()).hasSize(2).allSatisfy(letter -> assertThat(
        Headers.text(letter.headers().lastHeader(Headers.DLT_REASON))).contains("without the projector's seal"));
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), null));
    assertThat(outcomes.isEmpty()).isTrue();

    outcomesIn.pipeInput(TestAuthenticity.written(Topics.OUTCOMES, requestId, decided));
    assertThat(outcomes.readValuesToList()).containsExactly(decided.asReplay());
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), null));
    assertThat(outcomes.readValuesToList()).containsExactly(decided.asReplay());
  }

  @Test
  void shouldAnswerARetryWhileTheOriginalIsUndecidedWithKeyInUseForThatAttemptAlone() {
    String requestId = RequestIds.keyed(key("carol"), "f1");
    // the claim reached the username before its keyed twin, so its outcome is not seen here yet
    userCommands.pipeInput("carol", claim(requestId));
    Outcome decided = outcomes.readValue();
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), "first"));
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), "second"));

    assertThat(outcomes.readKeyValuesToList()).singleElement().satisfies(answer -> {
      assertThat(answer.key).isEqualTo(RequestIds.attemptKey(requestId, "second"));
      assertThat(answer.value.code()).isEqualTo(Rejection.IDEMPOTENCY_KEY_IN_USE);
      assertThat(answer.value.requestId()).isEqualTo(requestId);
    });

    TopologyDrivers.input(driver, Topics.OUTCOMES).pipeInput(TestAuthenticity.written(Topics.OUTCOMES, requestId, decided));
    assertThat(outcomes.isEmpty()).isTrue();
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), "third"));
    assertThat(outcomes.readKeyValue()).satisfies(answer -> {
      assertThat(answer.key).isEqualTo(requestId);
      assertThat(answer.value).isEqualTo(decided.asReplay());
    });
    assertThat(userEvents.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldTransferOnceAndAnswerRetriesWithTheFinalOutcome() {
    String requestId = RequestIds.keyed(key("alice"), "f1");
    var debit = new DebitForTransfer(requestId, RequestIds.derivedId(requestId), "a", "b", "4.00", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice"));
    keyed.pipeInput(requestId, IdempotentCommand.of(debit, "attempt"));
    Outcome completed = outcomes.readValue();
    assertThat(completed.code()).isEqualTo(Accepted.TRANSFER_COMPLETED);

    keyed.pipeInput(requestId, IdempotentCommand.of(debit, "attempt"));
    keyed.pipeInput(requestId, IdempotentCommand.of(debit, "attempt"));

    assertThat(outcomes.readValuesToList()).containsExactly(completed.asReplay(), completed.asReplay());
    assertThat(accountEvents.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("TransferDebited", "TransferCredited");
  }

  @Test
  void shouldPassOverAnOutcomeWithoutAValueAndKeepGoing() {
    String requestId = RequestIds.keyed(key("carol"), "f1");
    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), "first"));
    Outcome claimed = outcomes.readValue();
    TopologyDrivers.input(driver, Topics.OUTCOMES).pipeInput(requestId, null);

    keyed.pipeInput(requestId, IdempotentCommand.of(claim(requestId), "second"));

    assertThat(outcomes.readValuesToList()).containsExactly(claimed.asReplay());
  }

  @Test
  void shouldDeadLetterWhatIsNotAKeyedCommandAndKeepGoing() {
    var deadLetters = TopologyDrivers.rawOutput(driver, Topics.DEAD_LETTERS);
    var raw = TopologyDrivers.textInput(driver, Topics.IDEMPOTENT_COMMANDS);
    String requestId = RequestIds.keyed(key("operator"), "f1");
    raw.pipeInput(requestId, "{\"requestId\":\"" + requestId + "\"}");
    raw.pipeInput("not-keyed", "{\"requestId\":\"not-keyed\",\"accountCommand\":{\"type\":\"Deposit\","
        + "\"requestId\":\"not-keyed\",\"accountId\":\"a\",\"amount\":\"1.00\",\"receivedAt\":\"2026-03-01T10:00:00Z\"}}");
    keyed.pipeInput("another-key", IdempotentCommand.of(new Deposit(requestId, "a", "5.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()), "attempt"));
    keyed.pipeInput(requestId, IdempotentCommand.of(new Deposit(requestId, "a", "5.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()), "attempt"));

    assertThat(deadLetters.readRecordsToList()).hasSize(3);
    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Accepted.FUNDS_DEPOSITED);
  }

  /** Alice's transfer of 4.00 from account a to {@code to}, made with the test's key. */
  private static DebitForTransfer keyedDebitFromA(String to) {
    String requestId = RequestIds.keyed(key("alice"), "f1");
    return new DebitForTransfer(requestId, RequestIds.derivedId(requestId), "a", to, "4.00",
        RequestTimes.receivedAt(T0), TestAuthenticity.of("alice"));
  }

  /** A keyed command straight to its account, as the command service sends it, naming {@code attempt}. */
  private void sendToAccount(AccountCommand command, String attempt) {
    var headers = keyHeader();
    headers.add(Headers.ATTEMPT, Headers.utf8(attempt));
    accountCommands.pipeInput(new TestRecord<>(command.accountId(), command, headers, (Instant) null));
  }

  @Test
  void shouldRememberTheKeysOfAccountCommandsInTheAccountsOwnStep() {
    String requestId = RequestIds.keyed(key("operator"), "f1");
    var deposit = new Deposit(requestId, "a", "5.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator());
    sendToAccount(deposit, "first");
    Outcome original = outcomes.readValue();
    assertThat(original.code()).isEqualTo(Accepted.FUNDS_DEPOSITED);

    sendToAccount(deposit, "second");
    String other = RequestIds.keyed(key("operator"), "f2");
    sendToAccount(new Deposit(other, "a", "7.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()), "third");

    List<KeyValue<String, Outcome>> answers = outcomes.readKeyValuesToList();
    assertThat(answers).extracting(answer -> answer.key).containsExactly(requestId, other);
    assertThat(answers.get(0).value).isEqualTo(original.asReplay());
    assertThat(answers.get(1).value.code()).isEqualTo(Rejection.IDEMPOTENCY_KEY_REUSED);
    assertThat(accountEvents.readValuesToList()).singleElement()
        .isInstanceOfSatisfying(AccountEvent.FundsDeposited.class, e -> assertThat(e.amount()).isEqualTo("5.00"));
  }

  @Test
  void shouldTreatAKeyReusedForAnotherAccountAsANewRequest() {
    // keys are remembered by the account a request is about: another account has not seen this one
    sendToAccount(new Deposit(RequestIds.keyed(key("operator"), "f1"), "a", "5.00", RequestTimes.receivedAt(T0),
        TestAuthenticity.operator()), "first");
    sendToAccount(new Deposit(RequestIds.keyed(key("operator"), "f2"), "b", "7.00", RequestTimes.receivedAt(T0),
        TestAuthenticity.operator()), "second");

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code)
        .containsExactly(Accepted.FUNDS_DEPOSITED, Accepted.FUNDS_DEPOSITED);
    assertThat(accountEvents.readValuesToList()).hasSize(2);
  }

  @Test
  void shouldAnswerARetryOfARefundedTransferWithTheRefund() {
    var debit = keyedDebitFromA("nowhere");
    sendToAccount(debit, "first");
    Outcome refunded = outcomes.readValue();
    assertThat(refunded.code()).isEqualTo(Rejection.ACCOUNT_NOT_FOUND);

    sendToAccount(debit, "second");

    assertThat(outcomes.readValuesToList()).containsExactly(refunded.asReplay());
    assertThat(accountEvents.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("TransferDebited", "TransferRefunded");
  }

  @Test
  void shouldTellTheSourceHowAKeyedTransferTheCreditAnsweredEnded() {
    // the directory does not vouch for the destination (here: it lists another currency), so the credit answers
    TopologyDrivers.input(driver, Topics.ACCOUNT_DIRECTORY)
        .pipeInput(TestAuthenticity.written(Topics.ACCOUNT_DIRECTORY, "b", new OpenedAccount("b", "alice", "USD", "alice")));
    var stages = TopologyDrivers.output(driver, Topics.ACCOUNT_COMMANDS);
    var debit = keyedDebitFromA("b");
    sendToAccount(debit, "first");
    Outcome completed = outcomes.readValue();
    assertThat(completed.code()).isEqualTo(Accepted.TRANSFER_COMPLETED);
    assertThat(stages.readKeyValuesToList()).filteredOn(stage -> stage.value instanceof TransferSettled)
        .singleElement().satisfies(stage -> {
          assertThat(stage.key).isEqualTo("a");
          assertThat(((TransferSettled) stage.value).outcome()).isEqualTo(completed);
        });

    sendToAccount(debit, "second");

    assertThat(outcomes.readValuesToList()).containsExactly(completed.asReplay());
    assertThat(accountEvents.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("TransferDebited", "TransferCredited");
  }

  @Test
  void shouldAskTheEarlierMemoryOfKeysAboutARetryOfARequestDecidedBeforeTheAccountRememberedKeys() {
    // as an earlier version left it: the account decided the request, only the memory of keys knew its key
    String requestId = RequestIds.keyed(key("operator"), "f1");
    long decidedAt = T0.toEpochMilli();
    Outcome original = Outcome.accepted(requestId, Accepted.FUNDS_DEPOSITED, "a", "deposited 5.00",
        new OutcomeData.Account("a", "alice", "EUR", "5.00", 2), T0);
    driver.<String, Long>getWindowStore(AccountTopology.REQUESTS_STORE).put(requestId, decidedAt, decidedAt);
    driver.<String, KeyMemory>getWindowStore(IdempotencyTopology.KEYS_STORE)
        .put(key("operator"), new KeyMemory(requestId, original, false), decidedAt);

    sendToAccount(new Deposit(requestId, "a", "5.00", RequestTimes.receivedAt(T0), TestAuthenticity.operator()),
        "retry");

    assertThat(outcomes.readKeyValuesToList()).singleElement().satisfies(answer -> {
      assertThat(answer.key).isEqualTo(requestId);
      // recorded before outcomes named their requester: the retry's proven sender, whose key it is, is named now
      assertThat(answer.value).isEqualTo(original.asReplay().by("operator"));
    });
    assertThat(accountEvents.isEmpty()).isTrue();
  }
}
