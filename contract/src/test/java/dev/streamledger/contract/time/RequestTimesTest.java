package dev.streamledger.contract.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestTimesTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void shouldCorrectADeviceClockAnHourBehind() {
    // created 90 s before it was sent; the device's clock is an hour (and 0.2 s of network) behind
    Instant sent = RECEIVED.minus(Duration.ofHours(1)).minusMillis(200);
    var times = new RequestTimes(RECEIVED, sent.minusSeconds(90), sent);
    assertThat(times.occurredAt()).isEqualTo(RECEIVED.minusSeconds(90));
  }

  @Test
  void shouldCorrectADeviceClockADayAhead() {
    Instant sent = RECEIVED.plus(Duration.ofDays(1));
    var times = new RequestTimes(RECEIVED, sent.minus(Duration.ofHours(5)), sent);
    assertThat(times.occurredAt()).isEqualTo(RECEIVED.minus(Duration.ofHours(5)));
  }

  @Test
  void shouldTakeTheReceivedTimeWhenTheClientDidNotSayBoth() {
    assertThat(RequestTimes.receivedAt(RECEIVED).occurredAt()).isEqualTo(RECEIVED);
    assertThat(new RequestTimes(RECEIVED, RECEIVED.minusSeconds(60), null).occurredAt()).isEqualTo(RECEIVED);
    assertThat(new RequestTimes(RECEIVED, null, RECEIVED.minusSeconds(60)).occurredAt()).isEqualTo(RECEIVED);
  }

  @Test
  void shouldRefuseTimesOutsideTheBounds() {
    assertThatThrownBy(() -> new RequestTimes(RECEIVED, RECEIVED, RECEIVED.minusSeconds(1)))
        .isInstanceOf(RequestTimes.InvalidClientTimeException.class).hasMessageContaining("before it created");
    assertThatThrownBy(() -> new RequestTimes(RECEIVED, RECEIVED.minus(Duration.ofDays(31)), RECEIVED))
        .isInstanceOf(RequestTimes.InvalidClientTimeException.class).hasMessageContaining("31 days");
    assertThatThrownBy(() -> new RequestTimes(RECEIVED, Instant.parse("+10000-01-01T00:00:00Z"), null))
        .isInstanceOf(RequestTimes.InvalidClientTimeException.class);
    // a device held it exactly the longest allowed
    assertThat(new RequestTimes(RECEIVED, RECEIVED.minus(RequestTimes.MAX_DEVICE_DELAY), RECEIVED).occurredAt())
        .isEqualTo(RECEIVED.minus(RequestTimes.MAX_DEVICE_DELAY));
  }
}
