package dev.streamledger.command.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A token bucket per client, on a clock the test moves. */
class RateLimitsTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RateLimits limits = new RateLimits(2, 3, now::get, meters);

  @Test
  void shouldLetABurstThroughThenOneCommandPerRefill() {
    assertThat(limits.take("a")).isZero();
    assertThat(limits.take("a")).isZero();
    assertThat(limits.take("a")).isZero();
    assertThat(limits.take("a")).isEqualTo(500_000_000L);   // 2/s: the next token in half a second

    now.addAndGet(250_000_000L);
    assertThat(limits.take("a")).isEqualTo(250_000_000L);
    now.addAndGet(250_000_000L);
    assertThat(limits.take("a")).isZero();
    assertThat(limits.take("a")).isPositive();
  }

  @Test
  void shouldKeepEachClientsBucketApart() {
    for (int i = 0; i < 3; i++) {
      limits.take("a");
    }
    assertThat(limits.take("a")).isPositive();
    assertThat(limits.take("b")).isZero();
  }

  @Test
  void shouldNeverHoldMoreThanTheBurstAndForgetIdleClients() {
    limits.take("a");
    now.addAndGet(3_600_000_000_000L);   // an hour later: still only a burst of 3
    for (int i = 0; i < 3; i++) {
      assertThat(limits.take("a")).isZero();
    }
    assertThat(limits.take("a")).isPositive();
    limits.take("b");
    now.addAndGet(120_000_000_000L);
    limits.take("c");                      // sweeps: a and b are idle and full again
    assertThat(limits.clients()).isEqualTo(1);
  }
}
