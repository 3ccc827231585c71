package dev.streamledger.projector.account;

import dev.streamledger.contract.security.Principal;
import java.math.BigInteger;

/**
 * The write model of one account: all its commands are decided against this, in log order.
 *
 * @param ownerSubject the token subject that may withdraw and transfer out; absent in state
 *     written before it existed, which means the owner's username ({@link #holder()})
 */
record AccountState(String accountId, String owner, String currency, BigInteger balanceMinor, long version,
    String ownerSubject) {

  /** The subject bound to the account: the one recorded, or for older accounts the owner's username. */
  String holder() {
    return Principal.boundSubject(ownerSubject, owner);
  }
}
