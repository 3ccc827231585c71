package dev.streamledger.projector.account;

import dev.streamledger.contract.account.AccountCommand.CreditForTransfer;
import dev.streamledger.contract.account.AccountCommand.DebitForTransfer;
import dev.streamledger.contract.account.AccountCommand.Deposit;
import dev.streamledger.contract.account.AccountCommand.OpenAccount;
import dev.streamledger.contract.account.AccountCommand.RefundTransfer;
import dev.streamledger.contract.account.AccountCommand.TransferSettled;
import dev.streamledger.contract.account.AccountCommand.Withdraw;
import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent.FundsDeposited;
import dev.streamledger.contract.account.AccountEvent.FundsWithdrawn;
import dev.streamledger.contract.account.AccountEvent.TransferCredited;
import dev.streamledger.contract.account.AccountEvent.TransferDebited;
import dev.streamledger.contract.account.AccountEvent.TransferRefunded;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.InvalidAmountException;
import dev.streamledger.contract.account.Money;
import dev.streamledger.contract.account.OpenedAccount;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeCode;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.transfer.TransferEvent;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;

/**
 * The balance rules as pure functions: given an account's state (or none) and its next command
 * in log order, the new state, the event if the command is accepted, the answer, and the next
 * stage of a transfer if there is one. A balance never goes below zero; it is an exact integer
 * of minor units of any size, so nothing can overflow it. Every event raises the account's
 * version by one.
 *
 * <p>A transfer is up to three stages tracked by its transfer id: the debit (a reservation) on
 * the source's partition, the credit on the destination's, and — only if the credit cannot be
 * applied — a refund back on the source's. When the account directory shows the destination
 * exists in the transfer's currency, the credit cannot fail, so the debit stage answers the
 * transfer as completed at once (one transaction instead of two before the client hears back)
 * and the credit only applies it; otherwise the credit or the refund answers.
 *
 * <p>Only an operator deposits; only the subject bound to the account withdraws or transfers out
 * of it. That is checked here, against the account's own state, in the same step as the balance,
 * so nothing can change between the check and the change.
 */
final class AccountRules {

  /** Where the debit stage looks up the destination: the account directory (which may lag). */
  @FunctionalInterface
  interface Directory {
    Optional<OpenedAccount> find(String accountId);
  }

  /** What a command comes to on its account's partition: accepted, rejected, or passed on. */
  sealed interface Decision permits Accepted, Rejected, PassedOn {}

  /**
   * The command is applied: the account's new state and the event that says so.
   *
   * @param answer the outcome, or empty when another stage answers (a debit whose credit decides,
   *     a credit its debit answered already); a refund is applied and answers a rejection
   * @param next the transfer's next stage, if there is one
   * @param transfer the transfer's status after this stage, for a transfer's stage
   * @param listed an account to add to the directory, when one is opened
   */
  record Accepted(AccountState state, AccountEvent event, Optional<Outcome> answer, Optional<AccountCommand> next,
      Optional<TransferEvent> transfer, Optional<OpenedAccount> listed) implements Decision {

    Accepted(AccountState state, AccountEvent event, Outcome answer) {
      this(state, event, Optional.of(answer), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * The command is refused, nothing changes, and the outcome says why.
   *
   * @param transfer the refused transfer's status, for a debit
   */
  record Rejected(Outcome outcome, Optional<TransferEvent> transfer) implements Decision {

    Rejection reason() {
      return outcome.rejection().orElseThrow();
    }
  }

  /**
   * Nothing changes on this account and nothing is answered here: a credit that cannot be
   * applied passes the refund on to the source; a settled transfer is news only for the source's
   * memory of keys.
   */
  record PassedOn(Optional<AccountCommand> next) implements Decision {}

  private AccountRules() {}

  /**
   * @param sender who sent the command, proven; empty for the stages the projector writes
   *     (opening, credit, refund), which carry its seal instead
   * @throws IllegalArgumentException for a client's command without a sender, or a stage with one
   */
  static Decision decide(AccountCommand command, Optional<Principal> sender, Optional<AccountState> current,
      Directory directory, Instant decidedAt) {
    boolean stage = command instanceof OpenAccount || command instanceof CreditForTransfer
        || command instanceof RefundTransfer || command instanceof TransferSettled;
    if (stage == sender.isPresent()) {
      throw new IllegalArgumentException(stage ? "a stage only the projector writes, sent by a client"
          : "a client's command without a proven sender");
    }
    if (command instanceof OpenAccount open) {
      return open(open, current, decidedAt);
    }
    if (command instanceof TransferSettled) {
      // only news for the source's memory of keys: no balance moves
      return new PassedOn(Optional.empty());
    }
    if (command instanceof CreditForTransfer credit) {
      return credit(credit, current, decidedAt);
    }
    // who may: decided here, on the account's partition, in the same step as the balance check
    // (a deposit's before the account's existence, which is none of a non-operator's business)
    if (command instanceof Deposit && !sender.get().operator()) {
      return reject(command, current, Rejection.FORBIDDEN, "only an operator deposits", decidedAt);
    }
    if (current.isEmpty()) {
      return reject(command, current, Rejection.ACCOUNT_NOT_FOUND, "no account '" + command.accountId() + "'", decidedAt);
    }
    AccountState account = current.get();
    if (command instanceof RefundTransfer refund) {
      return refund(refund, account, decidedAt);
    }
    if (!(command instanceof Deposit) && !sender.get().is(account.holder())) {
      return reject(command, current, Rejection.FORBIDDEN, "account '" + account.accountId() + "' is not yours", decidedAt);
    }
    Currency currency = Currency.getInstance(account.currency());
    long amount;
    try {
      amount = Money.parse(amountOf(command), currency);
    } catch (InvalidAmountException e) {
      return reject(command, current, Rejection.INVALID_AMOUNT, e.getMessage(), decidedAt);
    }
    if (command instanceof Deposit deposit) {
      return deposit(deposit, account, amount, currency, decidedAt);
    }
    if (account.balanceMinor().compareTo(BigInteger.valueOf(amount)) < 0) {
      return reject(command, current, Rejection.INSUFFICIENT_FUNDS, "the balance is "
          + Money.format(account.balanceMinor(), currency) + " " + currency.getCurrencyCode() + ", "
          + Money.format(amount, currency) + " cannot be taken from it", decidedAt);
    }
    AccountState after = moved(account, account.balanceMinor().subtract(BigInteger.valueOf(amount)));
    if (command instanceof DebitForTransfer debit) {
      return debit(debit, after, Money.format(amount, currency), directory, decidedAt);
    }
    Withdraw withdraw = (Withdraw) command;
    var event = new FundsWithdrawn(account.accountId(), after.version(), withdraw.requestId(),
        Money.format(amount, currency), Money.format(after.balanceMinor(), currency),
        withdraw.times().occurredAt(), withdraw.times());
    return accepted(withdraw, after, event, OutcomeCode.Accepted.FUNDS_WITHDRAWN, "withdrew " + event.amount(), decidedAt);
  }

  private static String amountOf(AccountCommand command) {
    if (command instanceof Deposit deposit) {
      return deposit.amount();
    }
    if (command instanceof Withdraw withdraw) {
      return withdraw.amount();
    }
    return ((DebitForTransfer) command).amount();
  }

  /**
   * The reservation: the money leaves the source now. If the directory vouches for the
   * destination, the transfer is answered completed here and the credit only applies it.
   */
  private static Decision debit(DebitForTransfer debit, AccountState after, String amount, Directory directory,
      Instant decidedAt) {
    var event = new TransferDebited(after.accountId(), after.version(), debit.requestId(), debit.transferId(),
        debit.to(), amount, Money.format(after.balanceMinor(), Currency.getInstance(after.currency())),
        debit.times().occurredAt(), debit.times());
    Optional<OpenedAccount> destination = directory.find(debit.to())
        .filter(listed -> listed.currency().equals(after.currency()));
    boolean settled = destination.isPresent();
    var credit = new CreditForTransfer(debit.requestId(), debit.transferId(), debit.to(), after.accountId(), amount,
        after.currency(), settled, debit.times(), after.holder());
    if (!settled) {
      var pending = new TransferEvent(debit.transferId(), TransferEvent.Status.PENDING, after.accountId(), debit.to(),
          amount, null, debit.requestId(), debit.times().occurredAt(), debit.times(), after.holder(), null);
      return new Accepted(after, event, Optional.empty(), Optional.of(credit), Optional.of(pending), Optional.empty());
    }
    return new Accepted(after, event,
        Optional.of(completed(debit.requestId(), debit.transferId(), after.accountId(), debit.to(), amount,
            after.currency(), decidedAt)),
        Optional.of(credit), Optional.of(completedEvent(credit,
            Principal.boundSubject(destination.get().ownerSubject(), destination.get().owner()))), Optional.empty());
  }

  private static Outcome completed(String requestId, String transferId, String from, String to, String amount,
      String currency, Instant decidedAt) {
    return Outcome.accepted(requestId, OutcomeCode.Accepted.TRANSFER_COMPLETED, transferId,
        "transferred " + amount + " " + currency,
        new OutcomeData.Transfer(transferId, TransferEvent.Status.COMPLETED, from, to, amount, null), decidedAt);
  }

  private static TransferEvent completedEvent(CreditForTransfer credit, String toSubject) {
    return new TransferEvent(credit.transferId(), TransferEvent.Status.COMPLETED, credit.from(), credit.accountId(),
        credit.amount(), null, credit.requestId(), credit.times().occurredAt(), credit.times(), credit.fromSubject(),
        toSubject);
  }

  private static Decision open(OpenAccount open, Optional<AccountState> current, Instant decidedAt) {
    if (current.isPresent()) {
      return reject(open, current, Rejection.ACCOUNT_EXISTS, "account '" + open.accountId() + "' exists already", decidedAt);
    }
    var account = new AccountState(open.accountId(), open.owner(), open.currency(), BigInteger.ZERO, 1,
        open.ownerSubject());
    var event = new AccountOpened(open.accountId(), 1, open.requestId(), open.owner(), open.currency(),
        open.times().occurredAt(), open.times(), account.holder());
    Accepted opened = accepted(open, account, event, OutcomeCode.Accepted.ACCOUNT_OPENED,
        "opened account '" + open.accountId() + "'", decidedAt);
    return new Accepted(account, event, opened.answer(), Optional.empty(), Optional.empty(),
        Optional.of(new OpenedAccount(open.accountId(), open.owner(), open.currency(), account.holder())));
  }

  private static Decision deposit(Deposit deposit, AccountState account, long amount, Currency currency,
      Instant decidedAt) {
    var after = moved(account, account.balanceMinor().add(BigInteger.valueOf(amount)));
    var event = new FundsDeposited(account.accountId(), after.version(), deposit.requestId(),
        Money.format(amount, currency), Money.format(after.balanceMinor(), currency),
        deposit.times().occurredAt(), deposit.times());
    return accepted(deposit, after, event, OutcomeCode.Accepted.FUNDS_DEPOSITED, "deposited " + event.amount(), decidedAt);
  }

  private static Decision credit(CreditForTransfer credit, Optional<AccountState> current, Instant decidedAt) {
    // a settled credit cannot meet these two (accounts never close nor change currency); if one
    // ever did, the money still goes back, and the refund's outcome tells the truth
    if (current.isEmpty()) {
      return refund(credit, Rejection.ACCOUNT_NOT_FOUND, "no account '" + credit.accountId() + "' to credit");
    }
    AccountState account = current.get();
    if (!account.currency().equals(credit.currency())) {
      return refund(credit, Rejection.CURRENCY_MISMATCH, "account '" + credit.accountId() + "' holds " + account.currency()
          + ", the transfer is in " + credit.currency());
    }
    Currency currency = Currency.getInstance(account.currency());
    long amount = Money.parse(credit.amount(), currency);
    AccountState after = moved(account, account.balanceMinor().add(BigInteger.valueOf(amount)));
    var event = new TransferCredited(account.accountId(), after.version(), credit.requestId(), credit.transferId(),
        credit.from(), credit.amount(), Money.format(after.balanceMinor(), currency),
        credit.times().occurredAt(), credit.times());
    if (credit.settled()) {
      // answered (and marked completed) by the debit stage already
      return new Accepted(after, event, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
    Outcome completed = completed(credit.requestId(), credit.transferId(), credit.from(), credit.accountId(),
        credit.amount(), credit.currency(), decidedAt);
    // a request made with an idempotency key is remembered on the source's partition, where its retries go
    Optional<AccountCommand> settled = RequestIds.keyIdOf(credit.requestId()).map(keyed ->
        new TransferSettled(credit.requestId(), credit.transferId(), credit.from(), completed, credit.times()));
    return new Accepted(after, event, Optional.of(completed), settled,
        Optional.of(completedEvent(credit, account.holder())), Optional.empty());
  }

  private static Decision refund(CreditForTransfer credit, Rejection reason, String detail) {
    var refund = new RefundTransfer(credit.requestId(), credit.transferId(), credit.from(), credit.amount(),
        reason.wireName(), detail, credit.times());
    return new PassedOn(Optional.of(refund));
  }

  private static Decision refund(RefundTransfer refund, AccountState account, Instant decidedAt) {
    Currency currency = Currency.getInstance(account.currency());
    long amount = Money.parse(refund.amount(), currency);
    AccountState after = moved(account, account.balanceMinor().add(BigInteger.valueOf(amount)));
    var event = new TransferRefunded(account.accountId(), after.version(), refund.requestId(), refund.transferId(),
        refund.reason(), refund.amount(), Money.format(after.balanceMinor(), currency),
        refund.times().occurredAt(), refund.times());
    var outcome = Outcome.rejected(refund.requestId(), Rejection.of(refund.reason()), refund.transferId(),
        refund.detail() + "; the amount was refunded", new OutcomeData.Transfer(refund.transferId(),
            TransferEvent.Status.REFUNDED, account.accountId(), null, refund.amount(), refund.reason()),
        decidedAt);
    var refunded = new TransferEvent(refund.transferId(), TransferEvent.Status.REFUNDED, account.accountId(), null,
        refund.amount(), refund.reason(), refund.requestId(), refund.times().occurredAt(), refund.times(),
        account.holder(), null);
    return new Accepted(after, event, Optional.of(outcome), Optional.empty(), Optional.of(refunded),
        Optional.empty());
  }

  private static AccountState moved(AccountState account, BigInteger balance) {
    return new AccountState(account.accountId(), account.owner(), account.currency(), balance, account.version() + 1,
        account.ownerSubject());
  }

  private static OutcomeData.Account accountData(AccountState account) {
    return new OutcomeData.Account(account.accountId(), account.owner(), account.currency(),
        Money.format(account.balanceMinor(), Currency.getInstance(account.currency())), account.version());
  }

  private static Accepted accepted(AccountCommand command, AccountState after, AccountEvent event,
      OutcomeCode.Accepted code, String detail, Instant decidedAt) {
    return new Accepted(after, event,
        Outcome.accepted(command.requestId(), code, after.accountId(), detail, accountData(after), decidedAt));
  }

  private static Rejected reject(AccountCommand command, Optional<AccountState> current, Rejection reason,
      String detail, Instant decidedAt) {
    if (command instanceof DebitForTransfer debit) {
      Outcome outcome = Outcome.rejected(command.requestId(), reason, debit.transferId(), detail,
          new OutcomeData.Transfer(debit.transferId(), TransferEvent.Status.REJECTED, debit.accountId(), debit.to(),
              debit.amount(), reason.wireName()), decidedAt);
      var rejected = new TransferEvent(debit.transferId(), TransferEvent.Status.REJECTED, debit.accountId(),
          debit.to(), debit.amount(), reason.wireName(), debit.requestId(), debit.times().occurredAt(), debit.times(),
          current.map(AccountState::holder).orElse(null), null);
      return new Rejected(outcome, Optional.of(rejected));
    }
    return new Rejected(Outcome.rejected(command.requestId(), reason, command.accountId(), detail, decidedAt),
        Optional.empty());
  }
}
