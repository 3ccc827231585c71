package dev.streamledger.command.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.command.outcome.OutcomeListener;
import dev.streamledger.contract.runtime.KafkaLifecycle;
import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.testsupport.TestSeals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;

/**
 * On SIGTERM the web server first lets in-flight requests finish; only then may the Kafka parts
 * they depend on stop (Spring stops the highest phase first).
 */
class ShutdownOrderTest {

  @Test
  void shouldStopKafkaPartsOnlyAfterTheWebServerHasDrained() {
    int drain = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
    assertThat(new OutcomeListener(null, TestSeals.of(SealedFor.COMMAND_SERVICE), new SimpleMeterRegistry()).getPhase()).isEqualTo(KafkaLifecycle.PHASE).isLessThan(drain);
    assertThat(new ManagedKafkaStreams(null, null, null, null).getPhase()).isEqualTo(KafkaLifecycle.PHASE)
        .isLessThan(drain);
  }
}
