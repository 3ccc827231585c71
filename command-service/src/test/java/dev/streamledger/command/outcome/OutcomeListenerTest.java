package dev.streamledger.command.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One wait per request id per instance; an attempt's own outcome key completes the same wait. */
class OutcomeListenerTest {

  private final OutcomeListener listener = new OutcomeListener(null, null);

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
}
