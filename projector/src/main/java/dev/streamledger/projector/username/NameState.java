package dev.streamledger.projector.username;

import java.time.Instant;
import java.util.List;

/**
 * What the projector knows about one canonical username: how many times it was registered and,
 * while it is taken, who holds it and which accounts they own.
 */
record NameState(long generation, Holder holder) {

  static final NameState UNSEEN = new NameState(0, null);

  /**
   * @param subject the token subject the name is bound to; absent in state written before it
   *     existed, which means the username itself
   */
  record Holder(String requestId, String requestedAs, String displayName, Instant registeredAt,
      List<String> accountIds, String subject) {
    Holder {
      accountIds = accountIds == null ? List.of() : List.copyOf(accountIds);
    }
  }

  boolean taken() {
    return holder != null;
  }
}
