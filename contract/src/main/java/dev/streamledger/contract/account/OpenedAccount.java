package dev.streamledger.contract.account;

import java.util.Objects;

/**
 * One entry of the account directory ({@link dev.streamledger.contract.topic.Topics#ACCOUNT_DIRECTORY}):
 * an account that exists, with what never changes about it. Accounts are never closed and
 * never change currency, so an entry, once written, stays true.
 *
 * @param ownerSubject the token subject bound to the account (absent in entries written before it existed)
 */
public record OpenedAccount(String accountId, String owner, String currency, String ownerSubject) {

  public OpenedAccount {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(owner, "owner");
    Money.currency(currency);
  }
}
