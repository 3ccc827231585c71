package dev.streamledger.projector.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.account.AccountCommand.Deposit;
import dev.streamledger.contract.account.AccountCommand.Withdraw;
import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent.FundsDeposited;
import dev.streamledger.contract.account.AccountEvent.FundsWithdrawn;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.projector.ProjectorTopology;
import dev.streamledger.projector.system.TestAuthenticity;
import dev.streamledger.testsupport.TopologyDrivers;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening (two stages: owner's partition, then account's), deposits and withdrawals. */
class AccountTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, UserCommand> userCommands;
  private TestInputTopic<String, AccountCommand> accountCommands;
  private TestOutputTopic<String, UserEvent> userEvents;
  private TestOutputTopic<String, AccountEvent> accountEvents;
  private TestOutputTopic<String, Outcome> outcomes;
  private TestOutputTopic<String, TransferEvent> transferEvents;

  @BeforeEach
  void start() {
    driver = TopologyDrivers.start(ProjectorTopology.build(TestAuthenticity.authenticity()), "account-topology-test", stateDir, T0,
        StreamsConfig.EXACTLY_ONCE_V2);
    userCommands = TopologyDrivers.input(driver, Topics.USER_COMMANDS);
    accountCommands = TopologyDrivers.input(driver, Topics.ACCOUNT_COMMANDS);
    userEvents = TopologyDrivers.output(driver, Topics.USER_EVENTS);
    accountEvents = TopologyDrivers.output(driver, Topics.ACCOUNT_EVENTS);
    outcomes = TopologyDrivers.output(driver, Topics.OUTCOMES);
    transferEvents = TopologyDrivers.output(driver, Topics.TRANSFER_EVENTS);
    userCommands.pipeInput("alice", new UserCommand.ClaimUsername("r0", "alice", "alice", "Alice", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
    outcomes.readValuesToList();
    userEvents.readValuesToList();
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldOpenAnAccountForARegisteredOwnerInTwoStages() {
    requestAccount("r1", "alice", "acc-1", "EUR");

    assertThat(userEvents.readValue()).isInstanceOfSatisfying(UserEvent.AccountAssigned.class,
        e -> assertThat(e.accountId()).isEqualTo("acc-1"));
    assertThat(accountEvents.readValue()).isInstanceOfSatisfying(AccountOpened.class, e -> {
      assertThat(e.owner()).isEqualTo("alice");
      assertThat(e.version()).isEqualTo(1);
    });
    Outcome outcome = outcomes.readValue();
    assertThat(outcome.requestId()).isEqualTo("r1");
    assertThat(outcome.code()).isEqualTo(Accepted.ACCOUNT_OPENED);
    assertThat(outcome.data().fields()).containsEntry("balance", "0.00").containsEntry("version", "1");
    assertThat(outcomes.isEmpty()).isTrue();
  }

  @Test
  void shouldRefuseAnAccountForAnUnknownOwnerWithoutOpeningIt() {
    requestAccount("r1", "nobody", "acc-1", "EUR");

    assertThat(outcomes.readValue().code()).isEqualTo(Rejection.OWNER_NOT_FOUND);
    assertThat(accountEvents.isEmpty()).isTrue();
    deposit("r2", "acc-1", "1.00");
    assertThat(outcomes.readValue().code()).isEqualTo(Rejection.ACCOUNT_NOT_FOUND);
  }

  @Test
  void shouldKeepBalancesAtOrAboveZeroAndCountVersions() {
    requestAccount("r1", "alice", "acc-1", "EUR");
    deposit("r2", "acc-1", "10.00");
    withdraw("r3", "acc-1", "10.01");
    withdraw("r4", "acc-1", "4.5");
    withdraw("r5", "acc-1", "5.50");
    withdraw("r6", "acc-1", "0.01");

    List<Outcome> answers = outcomes.readValuesToList();
    assertThat(answers).extracting(Outcome::code).containsExactly(Accepted.ACCOUNT_OPENED, Accepted.FUNDS_DEPOSITED,
        Rejection.INSUFFICIENT_FUNDS, Accepted.FUNDS_WITHDRAWN, Accepted.FUNDS_WITHDRAWN, Rejection.INSUFFICIENT_FUNDS);
    List<AccountEvent> history = accountEvents.readValuesToList();
    assertThat(history).extracting(AccountEvent::version).containsExactly(1L, 2L, 3L, 4L);
    assertThat(history.get(1)).isInstanceOfSatisfying(FundsDeposited.class,
        e -> assertThat(e.balanceAfter()).isEqualTo("10.00"));
    assertThat(history.get(3)).isInstanceOfSatisfying(FundsWithdrawn.class,
        e -> assertThat(e.balanceAfter()).isEqualTo("0.00"));
  }

  @Test
  void shouldDecideCommandsOfEveryKnownSchemaVersionInOneTopicAndParkNewerOnes() {
    requestAccount("r1", "alice", "acc-1", "EUR");
    var raw = TopologyDrivers.textInput(driver, Topics.ACCOUNT_COMMANDS);
    var deadLetters = TopologyDrivers.rawOutput(driver, Topics.DEAD_LETTERS);
    String credential = "\"credential\":\"" + TestAuthenticity.operator().token() + "\",";
    // version 1, as written before commands carried the client's times (with today's credential)
    raw.pipeInput("acc-1", "{\"type\":\"Deposit\",\"requestId\":\"v1\",\"accountId\":\"acc-1\"," + credential
        + "\"amount\":\"3.00\",\"receivedAt\":\"2026-03-01T10:00:01Z\"}");
    // version 2, with a device clock an hour behind
    raw.pipeInput("acc-1", "{\"schemaVersion\":2,\"type\":\"Deposit\",\"requestId\":\"v2\",\"accountId\":\"acc-1\"," + credential
        + "\"amount\":\"4.00\",\"times\":{\"receivedAt\":\"2026-03-01T10:00:02Z\","
        + "\"clientCreatedAt\":\"2026-03-01T08:59:50Z\",\"clientSentAt\":\"2026-03-01T09:00:00Z\"}}");
    // a version this code does not know
    raw.pipeInput("acc-1", "{\"schemaVersion\":3,\"type\":\"Deposit\",\"requestId\":\"v3\",\"accountId\":\"acc-1\","
        + "\"amount\":\"5.00\",\"times\":{\"receivedAt\":\"2026-03-01T10:00:03Z\"}}");
    deposit("r4", "acc-1", "1.00");

    assertThat(outcomes.readValuesToList()).extracting(Outcome::requestId).containsExactly("r1", "v1", "v2", "r4");
    List<AccountEvent> history = accountEvents.readValuesToList();
    assertThat(history).extracting(AccountEvent::occurredAt).containsExactly(T0,
        Instant.parse("2026-03-01T10:00:01Z"), Instant.parse("2026-03-01T09:59:52Z"), T0);
    assertThat(history.get(3)).isInstanceOfSatisfying(FundsDeposited.class,
        e -> assertThat(e.balanceAfter()).isEqualTo("8.00"));
    assertThat(deadLetters.readRecordsToList()).singleElement().satisfies(parked ->
        assertThat(Headers.text(
            parked.headers().lastHeader(Headers.DLT_REASON)))
            .contains("unknown schemaVersion 3"));
  }

  @Test
  void shouldCarryTheCorrelationIdOfACommandToItsOutcomeAndEvents() {
    open("acc-a", "EUR", "10.00");
    open("acc-b", "EUR", null);
    outcomes.readValuesToList();
    var headers = new RecordHeaders()
        .add(Headers.CORRELATION_ID, "order-17".getBytes());
    accountCommands.pipeInput(new TestRecord<>("acc-a",
        new AccountCommand.DebitForTransfer("t1", "t1", "acc-a", "acc-b", "1.00", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")), headers));

    assertThat(outcomes.readRecordsToList()).singleElement().satisfies(outcome -> assertThat(
        Headers.text(
            outcome.headers().lastHeader(Headers.CORRELATION_ID)))
        .isEqualTo("order-17"));
    assertThat(accountEvents.readRecordsToList()).hasSize(2).allSatisfy(event -> assertThat(
        Headers.text(
            event.headers().lastHeader(Headers.CORRELATION_ID)))
        .isEqualTo("order-17"));
  }

  @Test
  void shouldRefuseAmountsBeyondTheCurrencyScaleOrRangeButHoldBalancesOfAnySize() {
    requestAccount("r1", "alice", "acc-jpy", "JPY");
    deposit("r2", "acc-jpy", "1.5");
    deposit("r3", "acc-jpy", "1000000000000000");
    deposit("r4", "acc-jpy", "1000000000000001");
    deposit("r5", "acc-jpy", "1000000000000000");

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code)
        .containsExactly(Accepted.ACCOUNT_OPENED, Rejection.INVALID_AMOUNT, Accepted.FUNDS_DEPOSITED, Rejection.INVALID_AMOUNT, Accepted.FUNDS_DEPOSITED);
    // a balance past what a long holds (only reachable through thousands of maximal deposits)
    var huge = new AccountState("acc-big", "alice", "JPY", BigInteger.valueOf(Long.MAX_VALUE), 7, null);
    var decision = AccountRules.decide(new Deposit("r6", "acc-big", "1000000000000000", RequestTimes.receivedAt(T0), TestAuthenticity.operator()),
        Optional.of(new Principal("operator", true)), Optional.of(huge),
        id -> Optional.empty(), T0);
    assertThat(decision).isInstanceOfSatisfying(AccountRules.Accepted.class, accepted -> assertThat(accepted.event())
        .isInstanceOfSatisfying(FundsDeposited.class,
            e -> assertThat(e.balanceAfter()).isEqualTo("9224372036854775807")));
  }

  @Test
  void shouldApplyARedeliveredCommandOnce() {
    requestAccount("r1", "alice", "acc-1", "EUR");
    requestAccount("r1", "alice", "acc-1", "EUR");
    deposit("r2", "acc-1", "3.00");
    deposit("r2", "acc-1", "3.00");

    assertThat(outcomes.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r1", "r2");
    assertThat(accountEvents.readValuesToList()).hasSize(2);
    assertThat(userEvents.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldNotDeleteAUserWhoOwnsAccounts() {
    requestAccount("r1", "alice", "acc-1", "EUR");
    userCommands.pipeInput("alice", new UserCommand.ReleaseUsername("r2", "alice", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code)
        .containsExactly(Accepted.ACCOUNT_OPENED, Rejection.USER_HAS_ACCOUNTS);
  }

  @Test
  void shouldTransferByDebitThenCreditAndAnswerOnce() {
    open("a", "EUR", "10.00");
    open("b", "EUR", null);
    transfer("t1", "a", "b", "4.00");

    // the directory vouches for "b": the debit stage answers, the credit only applies it
    Outcome outcome = outcomes.readValue();
    assertThat(outcome.code()).isEqualTo(Accepted.TRANSFER_COMPLETED);
    assertThat(outcome.data().fields()).containsEntry("transferId", "t1").containsEntry("status", "COMPLETED")
        .containsEntry("from", "a").containsEntry("to", "b").containsEntry("amount", "4.00");
    assertThat(outcomes.isEmpty()).isTrue();
    assertThat(transferEvents.readValuesToList()).extracting(TransferEvent::status)
        .containsExactly(TransferEvent.Status.COMPLETED);
    List<AccountEvent> events = accountEvents.readValuesToList();
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOfSatisfying(AccountEvent.TransferDebited.class, e -> {
      assertThat(e.accountId()).isEqualTo("a");
      assertThat(e.balanceAfter()).isEqualTo("6.00");
    });
    assertThat(events.get(1)).isInstanceOfSatisfying(AccountEvent.TransferCredited.class, e -> {
      assertThat(e.accountId()).isEqualTo("b");
      assertThat(e.balanceAfter()).isEqualTo("4.00");
    });
  }

  @Test
  void shouldLetTheCreditAnswerWhenTheDirectoryDoesNotYetKnowTheDestination() {
    open("a", "EUR", "10.00");
    open("b", "EUR", null);
    driver.getKeyValueStore(AccountTopology.DIRECTORY_STORE).delete("b");   // as if its entry were still on the way
    transfer("t1", "a", "b", "4.00");

    assertThat(outcomes.readValuesToList()).singleElement().satisfies(outcome -> {
      assertThat(outcome.code()).isEqualTo(Accepted.TRANSFER_COMPLETED);
      assertThat(outcome.data().fields()).containsEntry("status", "COMPLETED").containsEntry("to", "b");
    });
    assertThat(transferEvents.readValuesToList()).extracting(TransferEvent::status)
        .containsExactly(TransferEvent.Status.PENDING, TransferEvent.Status.COMPLETED);
    assertThat(accountEvents.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("TransferDebited", "TransferCredited");
  }

  @Test
  void shouldTreatAnUnreadableDirectoryEntryAsUnknownAndKeepGoing() {
    open("a", "EUR", "10.00");
    // a corrupt or hostile entry for an account that does not exist must not vouch for it
    TopologyDrivers.textInput(driver, Topics.ACCOUNT_DIRECTORY).pipeInput("ghost", "{not json");
    transfer("t1", "a", "ghost", "4.00");

    assertThat(outcomes.readValuesToList()).singleElement().satisfies(outcome -> {
      assertThat(outcome.code()).isEqualTo(Rejection.ACCOUNT_NOT_FOUND);
      assertThat(outcome.data().fields()).containsEntry("status", "REFUNDED");
    });
    assertThat(transferEvents.readValuesToList()).extracting(TransferEvent::status)
        .containsExactly(TransferEvent.Status.PENDING, TransferEvent.Status.REFUNDED);
  }

  @Test
  void shouldRejectATransferThatWouldOverdrawWithoutMovingMoney() {
    open("a", "EUR", "1.00");
    open("b", "EUR", null);
    transfer("t1", "a", "b", "1.01");

    Outcome outcome = outcomes.readValue();
    assertThat(outcome.code()).isEqualTo(Rejection.INSUFFICIENT_FUNDS);
    assertThat(outcome.data().fields()).containsEntry("status", "REJECTED").containsEntry("transferId", "t1");
    assertThat(accountEvents.isEmpty()).isTrue();
    assertThat(transferEvents.readValue().status()).isEqualTo(TransferEvent.Status.REJECTED);
  }

  @Test
  void shouldRefundWhenTheCreditCannotBeApplied() {
    open("a", "EUR", "10.00");
    open("usd", "USD", null);
    transfer("t1", "a", "usd", "3.00");
    transfer("t2", "a", "missing", "2.00");

    List<Outcome> answers = outcomes.readValuesToList();
    assertThat(answers).extracting(Outcome::code).containsExactly(Rejection.CURRENCY_MISMATCH, Rejection.ACCOUNT_NOT_FOUND);
    assertThat(answers).allSatisfy(o -> assertThat(o.data().fields()).containsEntry("status", "REFUNDED"));
    assertThat(transferEvents.readValuesToList()).extracting(TransferEvent::status).containsExactly(
        TransferEvent.Status.PENDING, TransferEvent.Status.REFUNDED,
        TransferEvent.Status.PENDING, TransferEvent.Status.REFUNDED);
    List<AccountEvent> events = accountEvents.readValuesToList();
    assertThat(events).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("TransferDebited", "TransferRefunded", "TransferDebited", "TransferRefunded");
    assertThat(((AccountEvent.Movement) events.get(3)).balanceAfter()).isEqualTo("10.00");
  }

  @Test
  void shouldApplyEachRedeliveredTransferStageOnce() {
    open("a", "EUR", "10.00");
    open("b", "EUR", null);
    var debit = new AccountCommand.DebitForTransfer("r1", "t1", "a", "b", "4.00", RequestTimes.receivedAt(T0), TestAuthenticity.of("alice"));
    accountCommands.pipeInput("a", debit);
    accountCommands.pipeInput("a", debit);
    var credit = new AccountCommand.CreditForTransfer("r1", "t1", "b", "a", "4.00", "EUR", false, RequestTimes.receivedAt(T0), "alice");
    accountCommands.pipeInput(TestAuthenticity.sealed(Topics.ACCOUNT_COMMANDS, "b", credit));
    var refund = new AccountCommand.RefundTransfer("r1", "t1", "a", "4.00", "account-not-found", "x", RequestTimes.receivedAt(T0));
    accountCommands.pipeInput(TestAuthenticity.sealed(Topics.ACCOUNT_COMMANDS, "a", refund));
    accountCommands.pipeInput(TestAuthenticity.sealed(Topics.ACCOUNT_COMMANDS, "a", refund));

    // one debit, one credit, one refund: the replayed refund is applied once and only once
    assertThat(accountEvents.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("TransferDebited", "TransferCredited", "TransferRefunded");
  }

  @Test
  void shouldDeadLetterALaterTransferStageThatCannotBeDecidedAndKeepGoing() {
    open("a", "EUR", "10.00");
    open("b", "EUR", null);
    var deadLetters = TopologyDrivers.rawOutput(driver, Topics.DEAD_LETTERS);
    // forged or corrupt later stages reach the accounts' partitions: an amount that is not one
    // (refused when read), and one finer than the currency allows (refused when decided)
    var raw = TopologyDrivers.textInput(driver, Topics.ACCOUNT_COMMANDS);
    raw.pipeInput("b", "{\"type\":\"CreditForTransfer\",\"requestId\":\"r1\",\"transferId\":\"t1\","
        + "\"accountId\":\"b\",\"from\":\"a\",\"amount\":\"ten\",\"currency\":\"EUR\","
        + "\"receivedAt\":\"2026-03-01T10:00:00Z\"}");
    accountCommands.pipeInput(TestAuthenticity.sealed(Topics.ACCOUNT_COMMANDS, "a",
        new AccountCommand.RefundTransfer("r2", "t2", "a", "1.005", "x", "x", RequestTimes.receivedAt(T0))));
    deposit("r3", "b", "1.00");

    assertThat(deadLetters.readRecordsToList()).hasSize(2);
    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Accepted.FUNDS_DEPOSITED);
  }

  private void open(String accountId, String currency, String deposit) {
    requestAccount("open-" + accountId, "alice", accountId, currency);
    if (deposit != null) {
      deposit("fund-" + accountId, accountId, deposit);
    }
    outcomes.readValuesToList();
    accountEvents.readValuesToList();
    userEvents.readValuesToList();
  }

  private void transfer(String transferId, String from, String to, String amount) {
    accountCommands.pipeInput(from, new AccountCommand.DebitForTransfer("req-" + transferId, transferId, from, to,
        amount, RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
  }

  private void requestAccount(String requestId, String owner, String accountId, String currency) {
    userCommands.pipeInput(owner, new UserCommand.RequestAccount(requestId, owner, accountId, currency, RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
  }

  private void deposit(String requestId, String accountId, String amount) {
    accountCommands.pipeInput(accountId, new Deposit(requestId, accountId, amount, RequestTimes.receivedAt(T0), TestAuthenticity.operator()));
  }

  private void withdraw(String requestId, String accountId, String amount) {
    accountCommands.pipeInput(accountId, new Withdraw(requestId, accountId, amount, RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
  }
}
