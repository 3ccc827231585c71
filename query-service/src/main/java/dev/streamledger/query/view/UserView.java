package dev.streamledger.query.view;

import dev.streamledger.contract.security.Principal;
import java.time.Instant;
import java.util.List;

/**
 * The read form of a user. {@code sourcePartition}/{@code sourceOffset} is the position of the
 * event this view last folded in: the view answers from that position, and a redelivered
 * event at or before it is skipped. A deleted user stays as a {@code deleted} marker so that a
 * replayed registration cannot bring it back. {@code subject} is the token subject the username
 * is bound to, who alone may read it (for views folded before it was kept: the username).
 */
public record UserView(String username, String displayName, String requestedAs, Instant registeredAt,
    long generation, List<String> accountIds, boolean deleted, int sourcePartition, long sourceOffset,
    String subject) {

  /** The subject that may read this user. */
  public String reader() {
    return Principal.boundSubject(subject, username);
  }

  public UserView {
    accountIds = accountIds == null ? List.of() : List.copyOf(accountIds);
  }
}
