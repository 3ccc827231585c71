package dev.streamledger.contract.account;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.streamledger.contract.time.RequestTimes;
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
    @JsonSubTypes.Type(value = AccountEvent.FundsWithdrawn.class, name = "FundsWithdrawn"),
    @JsonSubTypes.Type(value = AccountEvent.TransferDebited.class, name = "TransferDebited"),
    @JsonSubTypes.Type(value = AccountEvent.TransferCredited.class, name = "TransferCredited"),
    @JsonSubTypes.Type(value = AccountEvent.TransferRefunded.class, name = "TransferRefunded")
})
public sealed interface AccountEvent {

  /** An event that changes the balance: its signed amount and the balance after it. */
  sealed interface Movement extends AccountEvent {
    String amount();

    String balanceAfter();

    /** +1 for money in, -1 for money out. */
    int direction();

    /** The amount with its sign, as a statement shows it: negative when money left the account. */
    default String signedAmount() {
      return (direction() < 0 ? "-" : "") + amount();
    }
  }

  String accountId();

  long version();

  String requestId();

  /**
   * When the request that led to the event was made, on the server's clock: corrected for the
   * client's clock offset when it said its times ({@link RequestTimes#occurredAt()}).
   */
  Instant occurredAt();

  /** The request's three raw timestamps. */
  RequestTimes times();

  /** The event's type name, as statements show it: {@code AccountOpened}, {@code FundsDeposited}, ... */
  default String kind() {
    return getClass().getSimpleName();
  }

  /** The transfer this event moves money for (a debit, credit or refund), or null. */
  default String transferId() {
    return null;
  }

  /**
   * @param ownerSubject the token subject that may move the account's money and read it; absent
   *     in events written before it existed, which read as the owner's username
   */
  record AccountOpened(String accountId, long version, String requestId, String owner, String currency,
      Instant occurredAt, RequestTimes times, String ownerSubject) implements AccountEvent {}

  record FundsDeposited(String accountId, long version, String requestId, String amount, String balanceAfter,
      Instant occurredAt, RequestTimes times) implements Movement {
    public int direction() {
      return 1;
    }
  }

  record FundsWithdrawn(String accountId, long version, String requestId, String amount, String balanceAfter,
      Instant occurredAt, RequestTimes times) implements Movement {
    public int direction() {
      return -1;
    }
  }

  /** Money reserved for transfer {@code transferId} left this account. */
  record TransferDebited(String accountId, long version, String requestId, String transferId, String to,
      String amount, String balanceAfter, Instant occurredAt, RequestTimes times) implements Movement {
    public int direction() {
      return -1;
    }
  }

  record TransferCredited(String accountId, long version, String requestId, String transferId, String from,
      String amount, String balanceAfter, Instant occurredAt, RequestTimes times) implements Movement {
    public int direction() {
      return 1;
    }
  }

  /** The credit could not be applied ({@code reason}); the debited money came back. */
  record TransferRefunded(String accountId, long version, String requestId, String transferId, String reason,
      String amount, String balanceAfter, Instant occurredAt, RequestTimes times) implements Movement {
    public int direction() {
      return 1;
    }
  }
}
