package dev.streamledger.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerChoiceTest {

  @Test
  void shouldUseTheInProcessBrokerUnlessTestcontainersIsAskedForAndDockerAnswers() {
    assertThat(SharedKafka.useTestcontainers(null, () -> true)).isFalse();
    assertThat(SharedKafka.useTestcontainers("embedded", () -> true)).isFalse();
    assertThat(SharedKafka.useTestcontainers("testcontainers", () -> false)).isFalse();
    assertThat(SharedKafka.useTestcontainers("TESTCONTAINERS", () -> true)).isTrue();
  }
}
