package dev.streamledger.contract.account;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Facts about one account, keyed by account id on
 * {@link dev.streamledger.contract.topic.Topics#ACCOUNT_EVENTS}. {@code version} increases by
 * one with each event of the account, starting at 1; amounts and balances are decimal strings at
 * the account currency's scale. Folding an account's events in version order gives its state.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AccountEvent.AccountOpened.class, name = "AccountOpened"),
    @JsonSubTypes.Type(value = AccountEvent.FundsDeposited.class, name = "FundsDeposited"),
    @JsonSubTypes.Type(value = AccountEvent.FundsWithdrawn.class, name = "FundsWithdrawn")
})
public sealed interface AccountEvent {

  String accountId();

  long version();

  String requestId();

  Instant occurredAt();

  record AccountOpened(String accountId, long version, String requestId, String owner, String currency,
      Instant occurredAt) implements AccountEvent {}

  record FundsDeposited(String accountId, long version, String requestId, String amount, String balanceAfter,
      Instant occurredAt) implements AccountEvent {}

  record FundsWithdrawn(String accountId, long version, String requestId, String amount, String balanceAfter,
      Instant occurredAt) implements AccountEvent {}
}
