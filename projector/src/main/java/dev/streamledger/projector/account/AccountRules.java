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
import dev.streamledger.contract.account.TransferEvent;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.problem.ProblemTypes;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.security.Principal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
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

  static final String OPENED = "account-opened";
  static final String DEPOSITED = "funds-deposited";
  static final String WITHDRAWN = "funds-withdrawn";
  static final String TRANSFERRED = "transfer-completed";
  static final String NOT_FOUND = "account-not-found";
  static final String EXISTS = "account-exists";
  static final String INSUFFICIENT = "insufficient-funds";
  static final String INVALID_AMOUNT = "invalid-amount";
  static final String CURRENCY_MISMATCH = "currency-mismatch";
  static final String FORBIDDEN = ProblemTypes.FORBIDDEN;

  static final String PENDING = "PENDING";
  static final String COMPLETED = "COMPLETED";
  static final String REJECTED = "REJECTED";
  static final String REFUNDED = "REFUNDED";

  /** Where the debit stage looks up the destination: the account directory (which may lag). */
  @FunctionalInterface
  interface Directory {
    Optional<OpenedAccount> find(String accountId);
  }

  /**
   * @param listed an account to add to the directory (when one is opened)
   */
  record Decision(Optional<AccountState> state, Optional<AccountEvent> event, Optional<Outcome> outcome,
      Optional<AccountCommand> next, Optional<TransferEvent> transfer, Optional<OpenedAccount> listed) {

    Decision(Optional<AccountState> state, Optional<AccountEvent> event, Optional<Outcome> outcome,
        Optional<AccountCommand> next, Optional<TransferEvent> transfer) {
      this(state, event, outcome, next, transfer, Optional.empty());
    }

    Decision(Optional<AccountState> state, Optional<AccountEvent> event, Optional<Outcome> outcome,
        Optional<AccountCommand> next) {
      this(state, event, outcome, next, Optional.empty(), Optional.empty());
    }
  }

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
      return new Decision(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
    if (command instanceof CreditForTransfer credit) {
      return credit(credit, current, decidedAt);
    }
    // who may: decided here, on the account's partition, in the same step as the balance check
    // (a deposit's before the account's existence, which is none of a non-operator's business)
    if (command instanceof Deposit && !sender.get().operator()) {
      return reject(command, current, FORBIDDEN, "only an operator deposits", decidedAt);
    }
    if (current.isEmpty()) {
      return reject(command, current, NOT_FOUND, "no account '" + command.accountId() + "'", decidedAt);
    }
    AccountState account = current.get();
    if (command instanceof RefundTransfer refund) {
      return refund(refund, account, decidedAt);
    }
    if (!(command instanceof Deposit) && !sender.get().is(account.holder())) {
      return reject(command, current, FORBIDDEN, "account '" + account.accountId() + "' is not yours", decidedAt);
    }
    Currency currency = Currency.getInstance(account.currency());
    long amount;
    try {
      amount = Money.parse(amountOf(command), currency);
    } catch (InvalidAmountException e) {
      return reject(command, current, INVALID_AMOUNT, e.getMessage(), decidedAt);
    }
    if (command instanceof Deposit deposit) {
      return deposit(deposit, account, amount, currency, decidedAt);
    }
    if (account.balanceMinor().compareTo(BigInteger.valueOf(amount)) < 0) {
      return reject(command, current, INSUFFICIENT, "the balance is "
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
    return accepted(withdraw, after, event, WITHDRAWN, "withdrew " + event.amount(), accountData(after), decidedAt);
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
      return new Decision(Optional.of(after), Optional.of(event), Optional.empty(), Optional.of(credit),
          Optional.of(pending));
    }
    return new Decision(Optional.of(after), Optional.of(event),
        Optional.of(completed(debit.requestId(), debit.transferId(), after.accountId(), debit.to(), amount,
            after.currency(), decidedAt)),
        Optional.of(credit), Optional.of(completedEvent(credit,
            Principal.boundSubject(destination.get().ownerSubject(), destination.get().owner()))));
  }

  private static Outcome completed(String requestId, String transferId, String from, String to, String amount,
      String currency, Instant decidedAt) {
    return Outcome.accepted(requestId, TRANSFERRED, transferId, "transferred " + amount + " " + currency,
        transferData(transferId, COMPLETED, from, to, amount, null), decidedAt);
  }

  private static TransferEvent completedEvent(CreditForTransfer credit, String toSubject) {
    return new TransferEvent(credit.transferId(), TransferEvent.Status.COMPLETED, credit.from(), credit.accountId(),
        credit.amount(), null, credit.requestId(), credit.times().occurredAt(), credit.times(), credit.fromSubject(),
        toSubject);
  }

  private static Decision open(OpenAccount open, Optional<AccountState> current, Instant decidedAt) {
    if (current.isPresent()) {
      return reject(open, current, EXISTS, "account '" + open.accountId() + "' exists already", decidedAt);
    }
    var account = new AccountState(open.accountId(), open.owner(), open.currency(), BigInteger.ZERO, 1,
        open.ownerSubject());
    var event = new AccountOpened(open.accountId(), 1, open.requestId(), open.owner(), open.currency(),
        open.times().occurredAt(), open.times(), account.holder());
    Decision opened = accepted(open, account, event, OPENED, "opened account '" + open.accountId() + "'",
        accountData(account), decidedAt);
    return new Decision(opened.state(), opened.event(), opened.outcome(), Optional.empty(), Optional.empty(),
        Optional.of(new OpenedAccount(open.accountId(), open.owner(), open.currency(), account.holder())));
  }

  private static Decision deposit(Deposit deposit, AccountState account, long amount, Currency currency,
      Instant decidedAt) {
    var after = moved(account, account.balanceMinor().add(BigInteger.valueOf(amount)));
    var event = new FundsDeposited(account.accountId(), after.version(), deposit.requestId(),
        Money.format(amount, currency), Money.format(after.balanceMinor(), currency),
        deposit.times().occurredAt(), deposit.times());
    return accepted(deposit, after, event, DEPOSITED, "deposited " + event.amount(), accountData(after), decidedAt);
  }

  private static Decision credit(CreditForTransfer credit, Optional<AccountState> current, Instant decidedAt) {
    // a settled credit cannot meet these two (accounts never close nor change currency); if one
    // ever did, the money still goes back, and the refund's outcome tells the truth
    if (current.isEmpty()) {
      return refund(credit, NOT_FOUND, "no account '" + credit.accountId() + "' to credit");
    }
    AccountState account = current.get();
    if (!account.currency().equals(credit.currency())) {
      return refund(credit, CURRENCY_MISMATCH, "account '" + credit.accountId() + "' holds " + account.currency()
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
      return new Decision(Optional.of(after), Optional.of(event), Optional.empty(), Optional.empty());
    }
    Outcome completed = completed(credit.requestId(), credit.transferId(), credit.from(), credit.accountId(),
        credit.amount(), credit.currency(), decidedAt);
    // a request made with an idempotency key is remembered on the source's partition, where its retries go
    Optional<AccountCommand> settled = RequestIds.keyIdOf(credit.requestId()).map(keyed ->
        new TransferSettled(credit.requestId(), credit.transferId(), credit.from(), completed, credit.times()));
    return new Decision(Optional.of(after), Optional.of(event), Optional.of(completed), settled,
        Optional.of(completedEvent(credit, account.holder())));
  }

  private static Decision refund(CreditForTransfer credit, String reason, String detail) {
    var refund = new RefundTransfer(credit.requestId(), credit.transferId(), credit.from(), credit.amount(), reason,
        detail, credit.times());
    return new Decision(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(refund));
  }

  private static Decision refund(RefundTransfer refund, AccountState account, Instant decidedAt) {
    Currency currency = Currency.getInstance(account.currency());
    long amount = Money.parse(refund.amount(), currency);
    AccountState after = moved(account, account.balanceMinor().add(BigInteger.valueOf(amount)));
    var event = new TransferRefunded(account.accountId(), after.version(), refund.requestId(), refund.transferId(),
        refund.reason(), refund.amount(), Money.format(after.balanceMinor(), currency),
        refund.times().occurredAt(), refund.times());
    var outcome = Outcome.rejected(refund.requestId(), refund.reason(), refund.transferId(),
        refund.detail() + "; the amount was refunded",
        transferData(refund.transferId(), REFUNDED, account.accountId(), null, refund.amount(), refund.reason()),
        decidedAt);
    var refunded = new TransferEvent(refund.transferId(), TransferEvent.Status.REFUNDED, account.accountId(), null,
        refund.amount(), refund.reason(), refund.requestId(), refund.times().occurredAt(), refund.times(),
        account.holder(), null);
    return new Decision(Optional.of(after), Optional.of(event), Optional.of(outcome), Optional.empty(),
        Optional.of(refunded));
  }

  private static AccountState moved(AccountState account, BigInteger balance) {
    return new AccountState(account.accountId(), account.owner(), account.currency(), balance, account.version() + 1,
        account.ownerSubject());
  }

  private static Map<String, String> accountData(AccountState account) {
    return Map.of("accountId", account.accountId(), "owner", account.owner(), "currency", account.currency(),
        "balance", Money.format(account.balanceMinor(), Currency.getInstance(account.currency())),
        "version", Long.toString(account.version()));
  }

  private static Map<String, String> transferData(String transferId, String status, String from, String to,
      String amount, String reason) {
    Map<String, String> data = new HashMap<>();
    data.put("transferId", transferId);
    data.put("status", status);
    if (from != null) {
      data.put("from", from);
    }
    if (to != null) {
      data.put("to", to);
    }
    data.put("amount", amount);
    if (reason != null) {
      data.put("reason", reason);
    }
    return data;
  }

  private static Decision accepted(AccountCommand command, AccountState after, AccountEvent event, String code,
      String detail, Map<String, String> data, Instant decidedAt) {
    return new Decision(Optional.of(after), Optional.of(event),
        Optional.of(Outcome.accepted(command.requestId(), code, after.accountId(), detail, data, decidedAt)),
        Optional.empty());
  }

  private static Decision reject(AccountCommand command, Optional<AccountState> current, String code, String detail,
      Instant decidedAt) {
    if (command instanceof DebitForTransfer debit) {
      Outcome outcome = Outcome.rejected(command.requestId(), code, debit.transferId(), detail,
          transferData(debit.transferId(), REJECTED, debit.accountId(), debit.to(), debit.amount(), code), decidedAt);
      var rejected = new TransferEvent(debit.transferId(), TransferEvent.Status.REJECTED, debit.accountId(),
          debit.to(), debit.amount(), code, debit.requestId(), debit.times().occurredAt(), debit.times(),
          current.map(AccountState::holder).orElse(null), null);
      return new Decision(current, Optional.empty(), Optional.of(outcome), Optional.empty(), Optional.of(rejected));
    }
    Outcome outcome = Outcome.rejected(command.requestId(), code, command.accountId(), detail, decidedAt);
    return new Decision(current, Optional.empty(), Optional.of(outcome), Optional.empty());
  }
}
