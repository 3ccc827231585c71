package dev.streamledger.contract.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.topic.SealedFor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A seal holds for exactly the topic, key and value it was made over, with a key its reader lists. */
class SealTest {

  private static final String OLD = key('o');
  private static final String NEW = key('n');
  private static final byte[] KEY = bytes("acc-1");
  private static final byte[] VALUE = bytes("{\"balance\":\"5.00\"}");

  @Test
  void shouldHoldOnlyForWhatItWasMadeOver() {
    var seal = SealedFor.QUERY_SERVICE.seal(List.of(NEW));
    var headers = new RecordHeaders();
    seal.seal("events", KEY, VALUE, headers);

    assertThat(seal.holds("events", KEY, VALUE, headers)).isTrue();
    assertThat(seal.holds("other-events", KEY, VALUE, headers)).isFalse();
    assertThat(seal.holds("events", bytes("acc-2"), VALUE, headers)).isFalse();
    assertThat(seal.holds("events", KEY, bytes("{\"balance\":\"9.00\"}"), headers)).isFalse();
    assertThat(seal.holds("events", null, VALUE, headers)).isFalse();
    assertThat(seal.holds("events", KEY, null, headers)).isFalse();
    // the key and the value are told apart, however their bytes are split
    assertThat(seal.holds("events", bytes("acc-1{"), bytes("\"balance\":\"5.00\"}"), headers)).isFalse();
    // each reader reads its own header, with its own key
    assertThat(SealedFor.COMMAND_SERVICE.seal(List.of(NEW)).holds("events", KEY, VALUE, headers)).isFalse();
    assertThat(SealedFor.QUERY_SERVICE.seal(List.of(OLD)).holds("events", KEY, VALUE, headers)).isFalse();
  }

  @Test
  void shouldAcceptEveryListedKeyAndSealWithTheFirst() {
    var before = SealedFor.QUERY_SERVICE.seal(List.of(OLD));
    var rotating = SealedFor.QUERY_SERVICE.seal(List.of(NEW, OLD));
    var after = SealedFor.QUERY_SERVICE.seal(List.of(NEW));
    var sealedBefore = new RecordHeaders();
    before.seal("events", KEY, VALUE, sealedBefore);
    var sealedWhileRotating = new RecordHeaders();
    rotating.seal("events", KEY, VALUE, sealedWhileRotating);

    assertThat(rotating.sealedAt("events", KEY, VALUE, sealedBefore)).isPresent();
    assertThat(after.holds("events", KEY, VALUE, sealedWhileRotating)).isTrue();
    assertThat(after.holds("events", KEY, VALUE, sealedBefore)).isFalse();
  }

  @Test
  void shouldTellTheTimeOfSealing() {
    var seal = SealedFor.PROJECTOR.seal(List.of(NEW));
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    var headers = new RecordHeaders().add(SealedFor.PROJECTOR.header(), seal.of("commands", null, VALUE, at));
    assertThat(seal.sealedAt("commands", null, VALUE, headers)).hasValue(at);
  }

  @Test
  void shouldNameTheSettingWhenKeysAreMissingOrWeak() {
    assertThatThrownBy(() -> SealedFor.COMMAND_SERVICE.seal(List.of()))
        .hasMessageContaining("streamledger.command.seal-keys").hasMessageContaining("STREAMLEDGER_COMMAND_SEAL_KEYS");
    assertThatThrownBy(() -> SealedFor.QUERY_SERVICE.sealOnProjector(
        List.of(Base64.getEncoder().encodeToString(new byte[16])), java.time.Clock.systemUTC()))
        .hasMessageContaining("streamledger.projector.query-service-seal-keys").hasMessageContaining("16 bytes");
  }

  private static String key(char fill) {
    return Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
