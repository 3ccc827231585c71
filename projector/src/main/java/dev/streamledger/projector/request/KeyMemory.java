package dev.streamledger.projector.request;

import dev.streamledger.contract.outcome.Outcome;
import java.util.Objects;

/**
 * What the projector remembers of one idempotency key.
 *
 * @param requestId the request first made with the key (its id carries the request's fingerprint)
 * @param outcome that request's outcome, once decided
 * @param retryWaiting a retry came before the outcome did: publish the outcome again when
 *     it comes, so a retry that started waiting after the original outcome went by still gets it
 */
public record KeyMemory(String requestId, Outcome outcome, boolean retryWaiting) {

  public KeyMemory {
    Objects.requireNonNull(requestId, "requestId");
  }

  static KeyMemory firstUse(String requestId) {
    return new KeyMemory(requestId, null, false);
  }

  boolean decided() {
    return outcome != null;
  }

  KeyMemory withRetryWaiting() {
    return new KeyMemory(requestId, outcome, true);
  }

  KeyMemory decided(Outcome decision) {
    return new KeyMemory(requestId, decision, false);
  }
}
