package dev.streamledger.query.view;

import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.security.Principal;
import java.math.BigDecimal;

/**
 * The read form of an account: its balance and version after the event at
 * {@code sourcePartition}/{@code sourceOffset}, which is the last one folded in, and the money
 * that has moved through it since it was opened ({@code flows}; {@code null} in views folded
 * before flows were kept — rebuild the views to fill them); {@code ownerSubject} is the token
 * subject that may read it (for views folded before it was kept: the owner's username).
 */
public record AccountView(String accountId, String owner, String currency, String balance, long version,
    int sourcePartition, long sourceOffset, Flows flows, String ownerSubject) {

  /** The subject that may read this account. */
  public String reader() {
    return Principal.boundSubject(ownerSubject, owner);
  }

  /** Money moved through one account, by kind, in its currency. */
  public record Flows(BigDecimal deposited, BigDecimal withdrawn, BigDecimal debited, BigDecimal credited,
      BigDecimal refunded) {

    public static final Flows NONE = new Flows(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO);

    /** These flows with {@code movement} added. */
    Flows with(AccountEvent.Movement movement) {
      BigDecimal amount = new BigDecimal(movement.amount());
      if (movement instanceof AccountEvent.FundsDeposited) {
        return new Flows(deposited.add(amount), withdrawn, debited, credited, refunded);
      }
      if (movement instanceof AccountEvent.FundsWithdrawn) {
        return new Flows(deposited, withdrawn.add(amount), debited, credited, refunded);
      }
      if (movement instanceof AccountEvent.TransferDebited) {
        return new Flows(deposited, withdrawn, debited.add(amount), credited, refunded);
      }
      if (movement instanceof AccountEvent.TransferCredited) {
        return new Flows(deposited, withdrawn, debited, credited.add(amount), refunded);
      }
      return new Flows(deposited, withdrawn, debited, credited, refunded.add(amount));
    }
  }
}
