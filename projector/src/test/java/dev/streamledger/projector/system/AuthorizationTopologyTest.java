package dev.streamledger.projector.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.AccountCommand.CreditForTransfer;
import dev.streamledger.contract.account.AccountCommand.DebitForTransfer;
import dev.streamledger.contract.account.AccountCommand.Deposit;
import dev.streamledger.contract.account.AccountCommand.Withdraw;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.OpenedAccount;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.request.IdempotentCommand;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.projector.ProjectorTopology;
import dev.streamledger.testsupport.DevTokens;
import dev.streamledger.testsupport.TestSeals;
import dev.streamledger.testsupport.TopologyDrivers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
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

/**
 * Who may do what, decided by the projector: every command proves its sender (a valid token, or
 * the projector's seal on its own stages), and only the subject a user or account is bound to
 * moves its money; operators deposit. Anything forged is dead-lettered without effect.
 */
class AuthorizationTopologyTest {

  @TempDir Path stateDir;
  @TempDir Path otherKeys;
  private TopologyTestDriver driver;
  private TestInputTopic<String, UserCommand> userCommands;
  private TestInputTopic<String, AccountCommand> accountCommands;
  private TestOutputTopic<String, Outcome> outcomes;
  private TestOutputTopic<String, AccountEvent> accountEvents;
  private TestOutputTopic<String, TransferEvent> transferEvents;
  private TestOutputTopic<String, UserEvent> userEvents;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private final Credential alice = TestAuthenticity.of("alice-subject");
  private final Credential mallory = TestAuthenticity.of("mallory-subject");

  @BeforeEach
  void start() {
    driver = TopologyDrivers.start(ProjectorTopology.build(TestAuthenticity.authenticity()), "authorization-test",
        stateDir, Instant.now(), StreamsConfig.EXACTLY_ONCE_V2);
    userCommands = TopologyDrivers.input(driver, Topics.USER_COMMANDS);
    accountCommands = TopologyDrivers.input(driver, Topics.ACCOUNT_COMMANDS);
    outcomes = TopologyDrivers.output(driver, Topics.OUTCOMES);
    accountEvents = TopologyDrivers.output(driver, Topics.ACCOUNT_EVENTS);
    transferEvents = TopologyDrivers.output(driver, Topics.TRANSFER_EVENTS);
    userEvents = TopologyDrivers.output(driver, Topics.USER_EVENTS);
    deadLetters = TopologyDrivers.rawOutput(driver, Topics.DEAD_LETTERS);
    userCommands.pipeInput("alice", new UserCommand.ClaimUsername("c1", "alice", "alice", "Alice", now(), alice));
    userCommands.pipeInput("mallory", new UserCommand.ClaimUsername("c2", "mallory", "mallory", "M", now(), mallory));
    userCommands.pipeInput("alice", new UserCommand.RequestAccount("o1", "alice", "a", "EUR", now(), alice));
    userCommands.pipeInput("mallory", new UserCommand.RequestAccount("o2", "mallory", "m", "EUR", now(), mallory));
    accountCommands.pipeInput("a", new Deposit("d1", "a", "10.00", now(), TestAuthenticity.operator()));
    // each outcome names who sent its request (the only ones besides operators who may read it):
    // an opening, decided from the projector's own stage, is its owner's
    assertThat(outcomes.readValuesToList()).extracting(Outcome::code, Outcome::requester).containsExactly(
        tuple(Accepted.USER_REGISTERED, "alice-subject"), tuple(Accepted.USER_REGISTERED, "mallory-subject"),
        tuple(Accepted.ACCOUNT_OPENED, "alice-subject"), tuple(Accepted.ACCOUNT_OPENED, "mallory-subject"),
        tuple(Accepted.FUNDS_DEPOSITED, "operator"));
    assertThat(userEvents.readValuesToList().get(0)).isInstanceOfSatisfying(UserEvent.UserRegistered.class,
        registered -> assertThat(registered.subject()).isEqualTo("alice-subject"));
    assertThat(accountEvents.readValuesToList().get(0)).isInstanceOfSatisfying(AccountOpened.class,
        opened -> assertThat(opened.ownerSubject()).isEqualTo("alice-subject"));
    transferEvents.readValuesToList();
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldLetOnlyTheBoundSubjectMoveAnAccountsMoney() {
    accountCommands.pipeInput("a", new Withdraw("w1", "a", "1.00", now(), mallory));
    accountCommands.pipeInput("a", new DebitForTransfer("t1", "t1", "a", "m", "5.00", now(), mallory));
    accountCommands.pipeInput("a", new Withdraw("w2", "a", "1.00", now(), alice));

    assertThat(outcomes.readValuesToList()).extracting(Outcome::requestId, Outcome::code).containsExactly(
        org.assertj.core.groups.Tuple.tuple("w1", Rejection.FORBIDDEN), org.assertj.core.groups.Tuple.tuple("t1", Rejection.FORBIDDEN),
        org.assertj.core.groups.Tuple.tuple("w2", Accepted.FUNDS_WITHDRAWN));
    assertThat(accountEvents.readValuesToList()).singleElement().isInstanceOfSatisfying(
        AccountEvent.FundsWithdrawn.class, withdrawn -> assertThat(withdrawn.balanceAfter()).isEqualTo("9.00"));
    assertThat(transferEvents.readValuesToList()).singleElement()
        .satisfies(rejected -> assertThat(rejected.status()).isEqualTo(TransferEvent.Status.REJECTED));
  }

  @Test
  void shouldLetOnlyOperatorsDeposit() {
    accountCommands.pipeInput("m", new Deposit("d2", "m", "1000.00", now(), mallory));
    accountCommands.pipeInput("nope", new Deposit("d3", "nope", "1.00", now(), mallory));

    // not even whether an account exists is told to someone who may not deposit
    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Rejection.FORBIDDEN, Rejection.FORBIDDEN);
    assertThat(accountEvents.readValuesToList()).isEmpty();
  }

  @Test
  void shouldLetOnlyTheBoundSubjectOpenAccountsForAUserOrDeleteIt() {
    userCommands.pipeInput("alice", new UserCommand.RequestAccount("o3", "alice", "x", "EUR", now(), mallory));
    userCommands.pipeInput("alice", new UserCommand.ReleaseUsername("r1", "alice", now(), mallory));

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Rejection.FORBIDDEN, Rejection.FORBIDDEN);
    assertThat(userEvents.readValuesToList()).isEmpty();
    assertThat(accountEvents.readValuesToList()).isEmpty();
  }

  @Test
  void shouldDeadLetterCommandsThatProveNoSenderWithoutEffect() {
    String[] parts = mallory.token().split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("mallory-subject", "alice-subject");
    var tampered = new Credential(parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    var foreign = new Credential(DevTokens.in(otherKeys).token("alice-subject", true));
    Instant now = Instant.now();
    var expired = new Credential(DevTokens.forTests().token("alice-subject", false, now.minus(Duration.ofHours(2)),
        now.minus(Duration.ofHours(1))));

    double refusedBefore = TestAuthenticity.REFUSED.count();
    accountCommands.pipeInput("a", new Withdraw("f1", "a", "1.00", now(), null));
    accountCommands.pipeInput("a", new Withdraw("f2", "a", "1.00", now(), tampered));
    accountCommands.pipeInput("a", new Withdraw("f3", "a", "1.00", now(), foreign));
    accountCommands.pipeInput("a", new Withdraw("f4", "a", "1.00", now(), expired));
    accountCommands.pipeInput("a", new Withdraw("f5", "a", "1.00", now(), new Credential("not-a-token")));
    userCommands.pipeInput("alice", new UserCommand.ReleaseUsername("f6", "alice", now(), tampered));

    assertThat(reasons()).hasSize(6).allSatisfy(reason -> assertThat(reason).startsWith("not authentic"))
        .anySatisfy(reason -> assertThat(reason).contains("no credential"))
        .anySatisfy(reason -> assertThat(reason).contains("expired"))
        .noneSatisfy(reason -> assertThat(reason).contains(mallory.token()));
    assertThat(TestAuthenticity.REFUSED.count() - refusedBefore).as("counted").isEqualTo(6);
    assertThat(outcomes.readValuesToList()).isEmpty();
    assertThat(accountEvents.readValuesToList()).isEmpty();
    assertThat(userEvents.readValuesToList()).isEmpty();
  }

  @Test
  void shouldJudgeATokensTimesByWhenTheCommandArrivedNotWhenItIsDecided() {
    Instant arrived = Instant.now().minus(Duration.ofHours(3));
    var validThen = new Credential(DevTokens.forTests().token("alice-subject", false, arrived.minusSeconds(60),
        arrived.plus(Duration.ofMinutes(5))));

    // the broker's append time is the record's: the projector was down, and decides it only now
    accountCommands.pipeInput("a", new Withdraw("late", "a", "1.00", now(), validThen), arrived);

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Accepted.FUNDS_WITHDRAWN);
  }

  @Test
  void shouldSealWhatItWritesForEachServiceThatActsOnIt() {
    userCommands.pipeInput("bob", new UserCommand.ClaimUsername("c3", "bob", "bob", "Bob", now(), TestAuthenticity.of("bob")));
    accountCommands.pipeInput("a", new DebitForTransfer("t1", "t1", "a", "m", "5.00", now(), alice));

    for (Topic<String, ?> topic : List.of(Topics.OUTCOMES, Topics.USER_EVENTS, Topics.ACCOUNT_EVENTS,
        Topics.TRANSFER_EVENTS, Topics.ACCOUNT_DIRECTORY)) {
      assertThat(TopologyDrivers.rawOutput(driver, topic).readRecordsToList()).as(topic.name()).isNotEmpty()
          .allSatisfy(record -> {
            for (SealedFor reader : SealedFor.values()) {
              assertThat(TestSeals.of(reader).holds(topic.name(), record.key(), record.value(),
                  record.headers())).as(reader + " on " + topic.name()).isEqualTo(SealedFor.readersOf(topic).contains(reader));
              // bound to its key: the same record under another key is no longer sealed
              assertThat(TestSeals.of(reader).holds(topic.name(), "x".getBytes(StandardCharsets.UTF_8),
                  record.value(), record.headers())).isFalse();
            }
          });
    }
  }

  @Test
  void shouldNotLetADirectoryEntryThatIsNotTheProjectorsVouchForAnAccount() {
    var directory = TopologyDrivers.rawOutput(driver, Topics.ACCOUNT_DIRECTORY).readRecordsToList();
    var mallorysEntry = directory.stream().filter(entry -> new String(entry.key(), StandardCharsets.UTF_8).equals("m"))
        .findFirst().orElseThrow();
    double refusedBefore = TestAuthenticity.REFUSED.count();
    // unsealed, and a real entry's seal moved to the key of an account that does not exist
    TopologyDrivers.input(driver, Topics.ACCOUNT_DIRECTORY).pipeInput("ghost",
        new OpenedAccount("ghost", "mallory", "EUR", "mallory-subject"));
    TopologyDrivers.rawInput(driver, Topics.ACCOUNT_DIRECTORY).pipeInput(new TestRecord<>(
        "ghost".getBytes(StandardCharsets.UTF_8), mallorysEntry.value(), mallorysEntry.headers()));
    assertThat(TestAuthenticity.REFUSED.count() - refusedBefore).isEqualTo(2);

    accountCommands.pipeInput("a", new DebitForTransfer("t1", "t1", "a", "ghost", "5.00", now(), alice));

    // not settled at once on the forged word: the credit stage finds no account and refunds
    assertThat(outcomes.readValuesToList()).singleElement().satisfies(outcome -> {
      assertThat(outcome.code()).isEqualTo(Rejection.ACCOUNT_NOT_FOUND);
      assertThat(outcome.data().fields()).containsEntry("status", "REFUNDED");
    });
  }

  @Test
  void shouldAcceptStagesOnlyWithTheProjectorsSeal() {
    var credit = new CreditForTransfer("s1", "s1", "m", "a", "500.00", "EUR", true, now(), "mallory-subject");
    accountCommands.pipeInput("m", credit);                                          // no seal
    var badSeal = new RecordHeaders().add(Headers.SEAL, SealedFor.PROJECTOR.seal(List.of(Base64.getEncoder()
        .encodeToString("another key, also of 32 bytes ...".getBytes(StandardCharsets.US_ASCII))))
        .of(Topics.ACCOUNT_COMMANDS.name(), null, Topics.ACCOUNT_COMMANDS.valueSerde().serializer()
            .serialize(Topics.ACCOUNT_COMMANDS.name(), credit), Instant.now()));
    accountCommands.pipeInput(new TestRecord<>("m", credit, badSeal));                // sealed with another key
    var sealed = TestAuthenticity.sealed(Topics.ACCOUNT_COMMANDS, "m", credit);
    var altered = new CreditForTransfer("s1", "s1", "m", "a", "900.00", "EUR", true, now(), "mallory-subject");
    accountCommands.pipeInput(new TestRecord<>("m", altered, sealed.headers()));      // a real seal on other bytes
    var replayed = new RecordHeaders().add(Headers.SEAL, TestAuthenticity.SEALS.own().of(Topics.ACCOUNT_COMMANDS.name(), null,
        Topics.ACCOUNT_COMMANDS.valueSerde().serializer().serialize(Topics.ACCOUNT_COMMANDS.name(), credit),
        Instant.now().minus(Duration.ofDays(8))));
    accountCommands.pipeInput(new TestRecord<>("m", credit, replayed));               // sealed long ago

    assertThat(reasons()).hasSize(4).allSatisfy(reason -> assertThat(reason).startsWith("not authentic"));
    assertThat(accountEvents.readValuesToList()).isEmpty();

    accountCommands.pipeInput(sealed);
    assertThat(accountEvents.readValuesToList()).singleElement().isInstanceOf(AccountEvent.TransferCredited.class);
  }

  @Test
  void shouldNotPassOnAStageWrappedInAKeyedCommand() {
    var keyed = TopologyDrivers.input(driver, Topics.IDEMPOTENT_COMMANDS);
    String requestId = RequestIds.keyed(RequestIds.keyId("mallory-subject", "k1"), "f");
    var credit = new CreditForTransfer(requestId, "s2", "m", "a", "500.00", "EUR", true, now(), "mallory-subject");
    keyed.pipeInput(requestId, IdempotentCommand.of(credit, null));

    assertThat(reasons()).singleElement().satisfies(reason -> assertThat(reason).contains("no credential"));
    assertThat(accountEvents.readValuesToList()).isEmpty();
  }

  @Test
  void shouldPassOnAKeyedCommandSealedAndDecideItForItsSender() {
    var keyed = TopologyDrivers.input(driver, Topics.IDEMPOTENT_COMMANDS);
    String requestId = RequestIds.keyed(RequestIds.keyId("mallory-subject", "k2"), "f");
    keyed.pipeInput(new TestRecord<>(requestId, IdempotentCommand.of(new Withdraw(requestId, "a", "1.00", now(), mallory),
        null), withKey("k2"), (Instant) null));

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Rejection.FORBIDDEN);
    assertThat(reasons()).isEmpty();
  }

  /**
   * Key ids are their sender's: mallory cannot send a command under one of alice's (nor one that
   * does not show its key), be remembered as its first use, and spoil alice's request with it.
   */
  @Test
  void shouldRefuseAKeyedRequestIdThatIsNotMadeFromTheSendersOwnKey() {
    String alices = RequestIds.keyed(RequestIds.keyId("alice-subject", "k3"), "f");
    accountCommands.pipeInput(new TestRecord<>("a", new Withdraw(alices, "a", "1.00", now(), mallory), withKey("k3"),
        (Instant) null));
    accountCommands.pipeInput("a", new Withdraw(RequestIds.keyed(RequestIds.keyId("mallory-subject", "k3"), "f"), "a",
        "1.00", now(), mallory));
    assertThat(reasons()).hasSize(2).allSatisfy(reason -> assertThat(reason).startsWith("not authentic: a keyed request id"));
    assertThat(outcomes.readValuesToList()).isEmpty();

    accountCommands.pipeInput(new TestRecord<>("a", new Withdraw(alices, "a", "1.00", now(), alice), withKey("k3"),
        (Instant) null));
    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Accepted.FUNDS_WITHDRAWN);
  }

  private static RecordHeaders withKey(String key) {
    var headers = new RecordHeaders();
    headers.add(Headers.IDEMPOTENCY_KEY, Headers.utf8(key));
    return headers;
  }

  @Test
  void shouldReadTheSenderOfASealedCommandWithoutCheckingItsTokenAgain() {
    // checked when it arrived on the keyed topic; since then the key was retired and the token expired
    Instant then = Instant.now().minus(Duration.ofDays(1));
    var retired = new Credential(DevTokens.in(otherKeys).token("alice-subject", false, then,
        then.plus(Duration.ofMinutes(5))));
    accountCommands.pipeInput(TestAuthenticity.sealed(Topics.ACCOUNT_COMMANDS, "a",
        new Withdraw("passed-on", "a", "1.00", now(), retired)));

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Accepted.FUNDS_WITHDRAWN);
    assertThat(reasons()).isEmpty();
  }

  private List<String> reasons() {
    return deadLetters.readRecordsToList().stream()
        .map(record -> Headers.text(record.headers().lastHeader(Headers.DLT_REASON))).toList();
  }

  private static RequestTimes now() {
    return RequestTimes.receivedAt(Instant.now());
  }
}
