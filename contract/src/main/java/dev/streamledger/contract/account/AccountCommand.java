package dev.streamledger.contract.account;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.Nulls;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.time.RequestTimes;
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
    @JsonSubTypes.Type(value = AccountCommand.Withdraw.class, name = "Withdraw"),
    @JsonSubTypes.Type(value = AccountCommand.DebitForTransfer.class, name = "DebitForTransfer"),
    @JsonSubTypes.Type(value = AccountCommand.CreditForTransfer.class, name = "CreditForTransfer"),
    @JsonSubTypes.Type(value = AccountCommand.RefundTransfer.class, name = "RefundTransfer"),
    @JsonSubTypes.Type(value = AccountCommand.TransferSettled.class, name = "TransferSettled")
})
public sealed interface AccountCommand {

  String requestId();

  String accountId();

  /** When the request was received, and created and sent by the client's clock. */
  RequestTimes times();

  /**
   * The sender's proof of who they are, which the projector verifies before it decides: on
   * commands clients send; none on the later stages the projector writes (those carry its seal).
   */
  default Credential credential() {
    return null;
  }

  /** When the server received the request. */
  default Instant receivedAt() {
    return times().receivedAt();
  }

  /**
   * What a command is remembered by to drop its redeliveries: the request id, or for a transfer
   * stage the transfer id and the stage (one request moves through several stages, two of them
   * on the source account's partition).
   */
  default String deduplicationKey() {
    return requestId();
  }

  /**
   * Second stage of opening an account: the owner's partition has confirmed that the owner is
   * registered and recorded the account as theirs. Written by the projector, not by clients.
   *
   * @param ownerSubject the token subject the owner's username is bound to: whoever may move the
   *     account's money (absent in records written before it existed)
   */
  record OpenAccount(String requestId, String accountId, String owner, String currency, RequestTimes times,
      String ownerSubject)
      implements AccountCommand {
    public OpenAccount {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(owner, "owner");
      Money.currency(currency);
      Objects.requireNonNull(times, "times");
    }
  }

  record Deposit(String requestId, String accountId, String amount, RequestTimes times, Credential credential)
      implements AccountCommand {
    public Deposit {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(accountId, "accountId");
      Money.requireDecimal(amount);
      Objects.requireNonNull(times, "times");
    }
  }

  record Withdraw(String requestId, String accountId, String amount, RequestTimes times, Credential credential)
      implements AccountCommand {
    public Withdraw {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(accountId, "accountId");
      Money.requireDecimal(amount);
      Objects.requireNonNull(times, "times");
    }
  }

  /** Transfer stage 1, on the source account's partition: the reservation. */
  record DebitForTransfer(String requestId, String transferId, String accountId, String to, String amount,
      RequestTimes times, Credential credential) implements AccountCommand {
    public DebitForTransfer {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(transferId, "transferId");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(to, "to");
      if (to.equals(accountId)) {
        throw new IllegalArgumentException("a transfer moves money between two different accounts");
      }
      Money.requireDecimal(amount);
      Objects.requireNonNull(times, "times");
    }

    @Override
    public String deduplicationKey() {
      return transferId + ":debit";
    }
  }

  /**
   * Transfer stage 2, on the destination's partition, written by the projector after the debit.
   *
   * @param settled the debit stage already answered the transfer as completed, because the
   *     account directory showed the destination exists in this currency, so the credit cannot
   *     fail; otherwise this stage decides and answers (completed, or refund). Absent in
   *     records written before it existed, which read as {@code false}.
   * @param fromSubject the token subject of the source account, for the transfer's event
   */
  record CreditForTransfer(String requestId, String transferId, String accountId, String from, String amount,
      String currency, @JsonSetter(nulls = Nulls.AS_EMPTY) boolean settled, RequestTimes times, String fromSubject)
      implements AccountCommand {
    public CreditForTransfer {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(transferId, "transferId");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(from, "from");
      Money.requireDecimal(amount);
      Money.currency(currency);
      Objects.requireNonNull(times, "times");
    }

    @Override
    public String deduplicationKey() {
      return transferId + ":credit";
    }
  }

  /** Transfer stage 3, back on the source's partition when the credit could not be applied. */
  record RefundTransfer(String requestId, String transferId, String accountId, String amount, String reason,
      String detail, RequestTimes times) implements AccountCommand {
    public RefundTransfer {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(transferId, "transferId");
      Objects.requireNonNull(accountId, "accountId");
      Money.requireDecimal(amount);
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(times, "times");
    }

    @Override
    public String deduplicationKey() {
      return transferId + ":refund";
    }
  }

  /**
   * Back on the source's partition after a credit that answered a transfer made with an
   * {@code Idempotency-Key} (the debit could not vouch for the destination, so the credit
   * decided): the source account's memory of keys, where every retry of the request arrives,
   * learns the answer. Changes no balance. Written by the projector, not by clients.
   */
  record TransferSettled(String requestId, String transferId, String accountId, Outcome outcome, RequestTimes times)
      implements AccountCommand {
    public TransferSettled {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(transferId, "transferId");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(times, "times");
      if (!requestId.equals(outcome.requestId())) {
        throw new IllegalArgumentException("the outcome of request '" + outcome.requestId() + "' is not one of '"
            + requestId + "'");
      }
    }

    @Override
    public String deduplicationKey() {
      return transferId + ":settled";
    }
  }
}
