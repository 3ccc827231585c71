package dev.streamledger.contract.time;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The three timestamps of a request (seed notes: "to adjust for incorrect device clocks, log
 * three timestamps"): when the client's device says it created the request and sent it — both
 * by the device's clock, which may be wrong by any amount — and when the server received it, by
 * the server's clock. The difference between received and sent is the device clock's offset
 * (plus the network delay), so the moment the request was created, on the server's clock, is
 * {@code created + (received − sent)}: {@link #occurredAt()}.
 *
 * <p>Sanity bounds: the correction is made only when both client times are given and the
 * device held the request between {@code 0} and {@link #MAX_DEVICE_DELAY} before sending it
 * (checked here; a request outside them is refused, see {@link InvalidClientTimeException}).
 * Otherwise the request occurred when it was received. The corrected time is never later than
 * the time received.
 *
 * @param receivedAt when the server received the request (server clock); always set
 * @param clientCreatedAt when the device created it (device clock), if it said
 * @param clientSentAt when the device sent it (device clock), if it said
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestTimes(Instant receivedAt, Instant clientCreatedAt, Instant clientSentAt) {

  /** The longest a device may hold a request between creating and sending it (offline queues). */
  public static final Duration MAX_DEVICE_DELAY = Duration.ofDays(30);

  /** The range RFC 3339 can write (four-digit years); every time must lie in it. */
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  public RequestTimes {
    Objects.requireNonNull(receivedAt, "receivedAt");
    for (Instant time : new Instant[] {receivedAt, clientCreatedAt, clientSentAt}) {
      if (time != null && (time.isBefore(EARLIEST) || time.isAfter(LATEST))) {
        throw new InvalidClientTimeException(time + " is not a time between the years 0000 and 9999");
      }
    }
    if (clientCreatedAt != null && clientSentAt != null) {
      Duration held = Duration.between(clientCreatedAt, clientSentAt);
      if (held.isNegative()) {
        throw new InvalidClientTimeException("the client says it sent the request before it created it");
      }
      if (held.compareTo(MAX_DEVICE_DELAY) > 0) {
        throw new InvalidClientTimeException("the client held the request for " + held.toDays()
            + " days before sending it; at most " + MAX_DEVICE_DELAY.toDays() + " are accepted");
      }
    }
  }

  /** A request that said nothing about the client's clock. */
  public static RequestTimes receivedAt(Instant receivedAt) {
    return new RequestTimes(receivedAt, null, null);
  }

  /**
   * When the request was created, on the server's clock: {@code created + (received − sent)}
   * when the client gave both times, otherwise when it was received.
   */
  public Instant occurredAt() {
    if (clientCreatedAt == null || clientSentAt == null) {
      return receivedAt;
    }
    return clientCreatedAt.plus(Duration.between(clientSentAt, receivedAt));
  }

  /** Client times that are out of bounds; the request is refused ({@code 400}). */
  public static final class InvalidClientTimeException extends IllegalArgumentException {
    public InvalidClientTimeException(String message) {
      super(message);
    }
  }
}
