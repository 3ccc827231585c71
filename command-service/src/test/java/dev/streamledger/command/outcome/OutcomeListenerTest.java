package dev.streamledger.command.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.testsupport.TestSeals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * One wait per request id per instance; an attempt's own outcome key completes the same wait; only
 * an outcome the projector sealed for the command service completes one.
 */
class OutcomeListenerTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final OutcomeListener listener = new OutcomeListener(null, TestSeals.of(SealedFor.COMMAND_SERVICE), meters);

  @Test
  void shouldRefuseASecondWaitForARequestIdUntilTheFirstEnded() {
    var first = listener.expect("r1", "r1/a1");
    assertThat(first).isPresent();
    assertThat(listener.expect("r1", "r1/a2")).isEmpty();   // the same request, in flight from here

    listener.forget("r1", "r1/a1");
    assertThat(listener.pendingCount()).isZero();
    var retry = listener.expect("r1", "r1/a3");
    assertThat(retry).isPresent();
    assertThat(retry.get()).isNotSameAs(first.get());
    assertThat(listener.pendingCount()).isEqualTo(2);
  }

  @Test
  void shouldAnswerOnlyWithAnOutcomeTheProjectorSealedForTheCommandService() {
    var waiting = listener.expect("r1").orElseThrow();
    Outcome forged = Outcome.accepted("r1", Accepted.TRANSFER_COMPLETED, "a", "forged", OutcomeData.NONE, Instant.now());
    Outcome real = Outcome.rejected("r1", Rejection.INSUFFICIENT_FUNDS, "a", "not enough", Instant.now());

    listener.received(record("r1", forged, new RecordHeaders()));                    // no seal
    listener.received(record("r1", forged, sealedFor(SealedFor.QUERY_SERVICE, "r1", forged)));   // another reader's
    listener.received(record("r1", forged, sealedFor(SealedFor.COMMAND_SERVICE, "r2", forged))); // moved from another key
    assertThat(waiting).isNotDone();
    assertThat(meters.counter("streamledger.command.unsealed-outcomes").count()).isEqualTo(3);

    listener.received(record("r1", real, sealedFor(SealedFor.COMMAND_SERVICE, "r1", real)));
    assertThat(waiting).isCompletedWithValue(real);
  }

  private static Headers sealedFor(SealedFor reader, String key, Outcome outcome) {
    var headers = new RecordHeaders();
    TestSeals.of(reader).seal(Topics.OUTCOMES.name(), key.getBytes(StandardCharsets.UTF_8), bytes(outcome), headers);
    return headers;
  }

  private static ConsumerRecord<String, byte[]> record(String key, Outcome outcome, Headers headers) {
    return new ConsumerRecord<>(Topics.OUTCOMES.name(), 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, key, bytes(outcome),
        headers, Optional.empty());
  }

  private static byte[] bytes(Outcome outcome) {
    return Topics.OUTCOMES.valueSerde().serializer().serialize(Topics.OUTCOMES.name(), outcome);
  }
}
