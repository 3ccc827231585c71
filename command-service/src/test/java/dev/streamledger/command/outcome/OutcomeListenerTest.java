package dev.streamledger.command.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Waits for one request id share its outcome, and each ends only itself. */
class OutcomeListenerTest {

  private final OutcomeListener listener = new OutcomeListener(null);

  @Test
  void shouldKeepWaitingForARequestIdUntilEveryWaitForItEnded() {
    var first = listener.expect("r1");
    var second = listener.expect("r1");
    assertThat(second).isSameAs(first);

    listener.forget("r1");          // the first request timed out; the retry still waits
    assertThat(listener.pendingCount()).isEqualTo(1);
    assertThat(listener.expect("r1")).isSameAs(first);

    listener.forget("r1");
    listener.forget("r1");
    assertThat(listener.pendingCount()).isZero();
    assertThat(listener.expect("r1")).isNotSameAs(first);
  }
}
