package dev.streamledger.contract.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.user.UserCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSerdeTest {

  private final JsonSerde<UserCommand> serde = new JsonSerde<>(UserCommand.class);

  @Test
  void shouldRoundTripASealedHierarchyWithStableTypeNames() {
    UserCommand claim = new UserCommand.ClaimUsername("r1", "alice", "Alice", "Alice A.",
        Instant.parse("2026-01-02T03:04:05.678Z"));
    byte[] bytes = serde.serialize("t", claim);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"type\":\"ClaimUsername\"");
    assertThat(serde.deserialize("t", bytes)).isEqualTo(claim);
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
    var credits = new JsonSerde<>(dev.streamledger.contract.account.AccountCommand.class);
    String old = "{\"type\":\"CreditForTransfer\",\"requestId\":\"r\",\"transferId\":\"t\",\"accountId\":\"b\","
        + "\"from\":\"a\",\"amount\":\"1.00\",\"currency\":\"EUR\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}";
    var credit = (dev.streamledger.contract.account.AccountCommand.CreditForTransfer)
        credits.deserialize("t", old.getBytes(StandardCharsets.UTF_8));
    assertThat(credit.settled()).isFalse();
    var settled = new dev.streamledger.contract.account.AccountCommand.CreditForTransfer("r", "t", "b", "a", "1.00",
        "EUR", true, Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(credits.deserialize("t", credits.serialize("t", settled))).isEqualTo(settled);
  }

  @Test
  void shouldWriteMapsInKeyOrderWhateverOrderTheyIterateIn() {
    // an outcome's data is a Map.copyOf, whose iteration order differs from one JVM to the next
    var ba = new java.util.LinkedHashMap<String, String>();
    ba.put("b", "2");
    ba.put("a", "1");
    assertThat(Json.MAPPER.writeValueAsString(ba)).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
  }
}
