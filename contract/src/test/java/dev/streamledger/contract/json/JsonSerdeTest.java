package dev.streamledger.contract.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.Schemas;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.user.UserCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSerdeTest {

  private final JsonSerde<UserCommand> serde = new JsonSerde<>(UserCommand.class, Schemas.COMMANDS);

  @Test
  void shouldRoundTripASealedHierarchyWithStableTypeNames() {
    UserCommand claim = new UserCommand.ClaimUsername("r1", "alice", "Alice", "Alice A.",
        RequestTimes.receivedAt(Instant.parse("2026-01-02T03:04:05.678Z")), new Credential("eyJh.eyJz.c2ln"));
    byte[] bytes = serde.serialize("t", claim);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"type\":\"ClaimUsername\"")
        .contains("\"credential\":\"eyJh.eyJz.c2ln\"");
    assertThat(serde.deserialize("t", bytes)).isEqualTo(claim);
    assertThat(claim.toString()).as("a logged command shows no token").doesNotContain("eyJh");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json", "null", "{}", "[]", "{\"type\":\"Nope\"}",
      "{\"type\":\"ClaimUsername\",\"requestId\":\"r\",\"username\":\"Alice\",\"displayName\":\"x\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}",
      "{\"type\":\"ReleaseUsername\",\"requestId\":\"r\",\"username\":\"alice\"}",
  })
  void shouldThrowSerializationExceptionOnAnythingElse(String json) {
    assertThatThrownBy(() -> serde.deserialize("t", json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void shouldReadACreditWrittenBeforeItWasMarkedSettledAsUnsettled() {
    var credits = Topics.ACCOUNT_COMMANDS.valueSerde();
    String old = "{\"type\":\"CreditForTransfer\",\"requestId\":\"r\",\"transferId\":\"t\",\"accountId\":\"b\","
        + "\"from\":\"a\",\"amount\":\"1.00\",\"currency\":\"EUR\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}";
    var credit = (dev.streamledger.contract.account.AccountCommand.CreditForTransfer)
        credits.deserializer().deserialize("t", old.getBytes(StandardCharsets.UTF_8));
    assertThat(credit.times()).isEqualTo(RequestTimes.receivedAt(Instant.parse("2026-01-01T00:00:00Z")));
    assertThat(credit.settled()).isFalse();
    var settled = new dev.streamledger.contract.account.AccountCommand.CreditForTransfer("r", "t", "b", "a", "1.00",
        "EUR", true, RequestTimes.receivedAt(Instant.parse("2026-01-01T00:00:00Z")), "alice");
    assertThat(credits.deserializer().deserialize("t", credits.serializer().serialize("t", settled))).isEqualTo(settled);
  }

  @Test
  void shouldWriteMapsInKeyOrderWhateverOrderTheyIterateIn() {
    // an outcome's data is a Map.copyOf, whose iteration order differs from one JVM to the next
    var ba = new java.util.LinkedHashMap<String, String>();
    ba.put("b", "2");
    ba.put("a", "1");
    assertThat(Json.MAPPER.writeValueAsString(ba)).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
  }

  @Test
  void shouldWriteTheSchemaVersionFirst() {
    var claim = new UserCommand.ClaimUsername("r1", "alice", "Alice", "Alice",
        new RequestTimes(Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T02:04:00Z"),
            Instant.parse("2026-01-02T02:04:04Z")), null);
    String json = new String(serde.serialize("t", claim), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"schemaVersion\":2,\"type\":\"ClaimUsername\",");
    assertThat(serde.deserialize("t", json.getBytes(StandardCharsets.UTF_8))).isEqualTo(claim);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // version 1: no schemaVersion, a bare receivedAt
      "{\"type\":\"Deposit\",\"requestId\":\"r\",\"accountId\":\"a\",\"amount\":\"1.00\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}",
      "{\"schemaVersion\":1,\"type\":\"Deposit\",\"requestId\":\"r\",\"accountId\":\"a\",\"amount\":\"1.00\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}",
      // version 2, with the version elsewhere than first
      "{\"type\":\"Deposit\",\"requestId\":\"r\",\"accountId\":\"a\",\"amount\":\"1.00\",\"times\":{\"receivedAt\":\"2026-01-01T00:00:00Z\"},\"schemaVersion\":2}",
  })
  void shouldUpcastOlderCommandsOnRead(String json) {
    var deposit = Topics.ACCOUNT_COMMANDS.valueSerde().deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));
    assertThat(deposit).isEqualTo(new dev.streamledger.contract.account.AccountCommand.Deposit("r", "a", "1.00",
        RequestTimes.receivedAt(Instant.parse("2026-01-01T00:00:00Z")), null));
  }

  @Test
  void shouldUpcastVersionOneEventsWithTheirReceivedTime() {
    String v1 = "{\"type\":\"FundsDeposited\",\"accountId\":\"a\",\"version\":2,\"requestId\":\"r\","
        + "\"amount\":\"1.00\",\"balanceAfter\":\"1.00\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}";
    var event = Topics.ACCOUNT_EVENTS.valueSerde().deserializer().deserialize("t", v1.getBytes(StandardCharsets.UTF_8));
    assertThat(event.times()).isEqualTo(RequestTimes.receivedAt(Instant.parse("2026-01-01T00:00:00Z")));
    String registered = "{\"type\":\"UserRegistered\",\"username\":\"alice\",\"generation\":1,\"requestId\":\"r\","
        + "\"requestedAs\":\"Alice\",\"displayName\":\"A\",\"registeredAt\":\"2026-01-01T00:00:00Z\"}";
    assertThat(Topics.USER_EVENTS.valueSerde().deserializer().deserialize("t", registered.getBytes(StandardCharsets.UTF_8)).times())
        .isEqualTo(RequestTimes.receivedAt(Instant.parse("2026-01-01T00:00:00Z")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3", "0", "-1", "\"2\"", "2.5", "99999999999", "null"})
  void shouldRefuseAVersionItDoesNotKnow(String version) {
    String json = "{\"schemaVersion\":" + version + ",\"type\":\"ReleaseUsername\",\"requestId\":\"r\","
        + "\"username\":\"alice\",\"times\":{\"receivedAt\":\"2026-01-01T00:00:00Z\"}}";
    assertThatThrownBy(() -> serde.deserialize("t", json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("schemaVersion");
  }
}
