package dev.streamledger.projector.username;

import java.time.Instant;
import java.util.List;

/**
 * What the projector knows about one canonical username: how many times it was registered and,
 * while it is taken, who holds it and which accounts they own.
 */
record NameState(long generation, Holder holder) {

  static final NameState UNSEEN = new NameState(0, null);

  record Holder(String requestId, String requestedAs, String displayName, Instant registeredAt,
      List<String> accountIds) {
    Holder {
      accountIds = accountIds == null ? List.of() : List.copyOf(accountIds);
    }
  }

  boolean taken() {
    return holder != null;
  }
}
