package dev.streamledger.contract.security;

import java.util.Objects;

/**
 * Who sent a request, as its verified token says: the token's subject ({@code sub}), and whether
 * it holds the operator role. Usernames and accounts are bound to the subject that registered
 * them; only operators deposit, audit and take snapshots.
 */
public record Principal(String subject, boolean operator) {

  /** The Spring Security authority of the operator role. */
  public static final String OPERATOR_AUTHORITY = "ROLE_OPERATOR";

  public Principal {
    Objects.requireNonNull(subject, "subject");
  }

  /**
   * The subject a user or account is bound to: {@code subject} as recorded, or, for data written
   * before subjects were recorded, its owner's {@code username} (the subject {@code bin/token}
   * gives that username). The one place this rule lives.
   */
  public static String boundSubject(String subject, String username) {
    return subject != null ? subject : username;
  }

  /** Whether this principal is the one bound to something owned by {@code ownerSubject}. */
  public boolean is(String ownerSubject) {
    return subject.equals(ownerSubject);
  }
}
