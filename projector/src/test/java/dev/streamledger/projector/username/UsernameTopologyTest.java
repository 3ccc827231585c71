package dev.streamledger.projector.username;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.user.UserCommand.ClaimUsername;
import dev.streamledger.contract.user.UserCommand.ReleaseUsername;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserEvent.UserDeleted;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.contract.user.Username;
import dev.streamledger.projector.system.TestAuthenticity;
import dev.streamledger.testsupport.TopologyDrivers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsernameTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, UserCommand> commands;
  private TestInputTopic<byte[], byte[]> rawCommands;
  private TestOutputTopic<String, UserEvent> events;
  private TestOutputTopic<String, Outcome> outcomes;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    driver = TopologyDrivers.start(UsernameTopology.build(TestAuthenticity.authenticity()), "username-topology-test", stateDir, T0,
        StreamsConfig.EXACTLY_ONCE_V2);
    commands = TopologyDrivers.input(driver, Topics.USER_COMMANDS);
    rawCommands = TopologyDrivers.rawInput(driver, Topics.USER_COMMANDS);
    events = TopologyDrivers.output(driver, Topics.USER_EVENTS);
    outcomes = TopologyDrivers.output(driver, Topics.OUTCOMES);
    deadLetters = TopologyDrivers.rawOutput(driver, Topics.DEAD_LETTERS);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldLetTheFirstClaimInTheLogWin() {
    claim("r1", "alice");
    claim("r2", "alice");

    List<Outcome> answers = outcomes.readValuesToList();
    assertThat(answers).extracting(Outcome::requestId).containsExactly("r1", "r2");
    assertThat(answers).extracting(Outcome::code).containsExactly(Accepted.USER_REGISTERED, Rejection.USERNAME_TAKEN);
    assertThat(events.readValuesToList()).singleElement()
        .isInstanceOfSatisfying(UserRegistered.class, e -> assertThat(e.requestId()).isEqualTo("r1"));
  }

  @Test
  void shouldMakeCaseAndWidthVariantsCollide() {
    claim("r1", "Alice");
    claim("r2", "ＡＬＩＣＥ");
    claim("r3", "aLiCe");

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code)
        .containsExactly(Accepted.USER_REGISTERED, Rejection.USERNAME_TAKEN, Rejection.USERNAME_TAKEN);
    assertThat(events.readKeyValuesToList()).singleElement().satisfies(kv -> assertThat(kv.key).isEqualTo("alice"));
  }

  @Test
  void shouldAnswerADuplicatedRequestIdOnce() {
    claim("r1", "bob");
    claim("r1", "bob");            // redelivery of the same command
    claim("r2", "carol");
    claim("r2", "carol");
    claim("r3", "bob");            // a rejected request, redelivered
    claim("r3", "bob");

    assertThat(outcomes.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r1", "r2", "r3");
    assertThat(events.readValuesToList()).hasSize(2);
  }

  @Test
  void shouldFreeTheNameOnDelete() {
    claim("r1", "dave");
    release("r2", "dave");
    claim("r3", "DAVE");

    assertThat(outcomes.readValuesToList()).extracting(Outcome::code)
        .containsExactly(Accepted.USER_REGISTERED, Accepted.USER_DELETED, Accepted.USER_REGISTERED);
    List<UserEvent> history = events.readValuesToList();
    assertThat(history).hasSize(3);
    assertThat(history.get(1)).isInstanceOf(UserDeleted.class);
    assertThat(history).extracting(UserEvent::generation).containsExactly(1L, 1L, 2L);
  }

  @Test
  void shouldAnswerNotFoundForDeletingAFreeName() {
    release("r1", "erin");

    assertThat(outcomes.readValue()).satisfies(o -> {
      assertThat(o.status()).isEqualTo(Outcome.Status.REJECTED);
      assertThat(o.code()).isEqualTo(Rejection.USER_NOT_FOUND);
    });
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterBadRecordsAndKeepGoing() {
    byte[] key = "frank".getBytes(StandardCharsets.UTF_8);
    rawCommands.pipeInput(key, "{not json".getBytes(StandardCharsets.UTF_8));
    rawCommands.pipeInput((byte[]) null, Topics.USER_COMMANDS.valueSerde().serializer().serialize("t", claimOf("r0", "frank")));
    rawCommands.pipeInput(key, (byte[]) null);
    rawCommands.pipeInput("mallory".getBytes(StandardCharsets.UTF_8),
        Topics.USER_COMMANDS.valueSerde().serializer().serialize("t", claimOf("r00", "frank")));
    claim("r1", "frank");

    List<TestRecord<byte[], byte[]>> parked = deadLetters.readRecordsToList();
    assertThat(parked).hasSize(4);
    assertThat(parked).allSatisfy(r -> {
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_REASON))).isNotBlank();
      assertThat(Headers.text(r.headers().lastHeader(Headers.DLT_SOURCE_TOPIC))).isEqualTo(Topics.USER_COMMANDS.name());
      assertThat(r.headers().lastHeader(Headers.DLT_SOURCE_OFFSET)).isNotNull();
    });
    assertThat(parked.get(0).value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(outcomes.readValuesToList()).extracting(Outcome::code).containsExactly(Accepted.USER_REGISTERED);
  }

  @Test
  void shouldKeepTheRegistryInItsStore() {
    claim("r1", "grace");
    var store = driver.<String, NameState>getKeyValueStore(UsernameTopology.NAMES_STORE);
    assertThat(store.get("grace").holder().requestId()).isEqualTo("r1");
  }

  private void claim(String requestId, String raw) {
    ClaimUsername command = claimOf(requestId, raw);
    commands.pipeInput(command.username(), command);
  }

  private static ClaimUsername claimOf(String requestId, String raw) {
    return new ClaimUsername(requestId, Username.of(raw).canonical(), raw, raw, RequestTimes.receivedAt(T0), TestAuthenticity.of("alice"));
  }

  private void release(String requestId, String raw) {
    String name = Username.of(raw).canonical();
    commands.pipeInput(name, new ReleaseUsername(requestId, name, RequestTimes.receivedAt(T0), TestAuthenticity.of("alice")));
  }
}
