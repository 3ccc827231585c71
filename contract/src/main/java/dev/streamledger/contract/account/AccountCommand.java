package dev.streamledger.contract.account;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * Intents about one account, keyed by account id on
 * {@link dev.streamledger.contract.topic.Topics#ACCOUNT_COMMANDS}. Amounts are decimal strings;
 * the account's currency decides their scale, so they are checked where the account lives.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AccountCommand.OpenAccount.class, name = "OpenAccount"),
    @JsonSubTypes.Type(value = AccountCommand.Deposit.class, name = "Deposit"),
    @JsonSubTypes.Type(value = AccountCommand.Withdraw.class, name = "Withdraw")
})
public sealed interface AccountCommand {

  String requestId();

  String accountId();

  Instant receivedAt();

  /**
   * Second stage of opening an account: the owner's partition has confirmed that the owner is
   * registered and recorded the account as theirs. Written by the projector, not by clients.
   */
  record OpenAccount(String requestId, String accountId, String owner, String currency, Instant receivedAt)
      implements AccountCommand {
    public OpenAccount {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(owner, "owner");
      Money.currency(currency);
      Objects.requireNonNull(receivedAt, "receivedAt");
    }
  }

  record Deposit(String requestId, String accountId, String amount, Instant receivedAt) implements AccountCommand {
    public Deposit {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(receivedAt, "receivedAt");
    }
  }

  record Withdraw(String requestId, String accountId, String amount, Instant receivedAt) implements AccountCommand {
    public Withdraw {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(receivedAt, "receivedAt");
    }
  }
}
