package dev.streamledger.projector.account;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.account.AccountCommand.Deposit;
import dev.streamledger.contract.account.AccountCommand.OpenAccount;
import dev.streamledger.contract.account.AccountCommand.Withdraw;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent.FundsDeposited;
import dev.streamledger.contract.account.AccountEvent.FundsWithdrawn;
import dev.streamledger.contract.account.InvalidAmountException;
import dev.streamledger.contract.account.Money;
import dev.streamledger.contract.outcome.Outcome;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;

/**
 * The balance rules as pure functions: given an account's state (or none) and its next command
 * in log order, the new state, the event if the command is accepted, and the answer. A balance
 * never goes below zero nor above {@link Money#MAX_MINOR}; every event raises the version by one.
 */
final class AccountRules {

  static final String OPENED = "account-opened";
  static final String DEPOSITED = "funds-deposited";
  static final String WITHDRAWN = "funds-withdrawn";
  static final String NOT_FOUND = "account-not-found";
  static final String EXISTS = "account-exists";
  static final String INSUFFICIENT = "insufficient-funds";
  static final String INVALID_AMOUNT = "invalid-amount";
  static final String OUT_OF_RANGE = "balance-out-of-range";

  record Decision(Optional<AccountState> state, Optional<AccountEvent> event, Outcome outcome) {}

  private AccountRules() {}

  static Decision decide(AccountCommand command, Optional<AccountState> current, Instant decidedAt) {
    if (command instanceof OpenAccount open) {
      return open(open, current, decidedAt);
    }
    if (current.isEmpty()) {
      return reject(command, current, NOT_FOUND, "no account '" + command.accountId() + "'", decidedAt);
    }
    AccountState account = current.get();
    Currency currency = Currency.getInstance(account.currency());
    long amount;
    try {
      amount = Money.parse(command instanceof Deposit d ? d.amount() : ((Withdraw) command).amount(), currency);
    } catch (InvalidAmountException e) {
      return reject(command, current, INVALID_AMOUNT, e.getMessage(), decidedAt);
    }
    return command instanceof Deposit deposit
        ? deposit(deposit, account, amount, currency, decidedAt)
        : withdraw((Withdraw) command, account, amount, currency, decidedAt);
  }

  private static Decision open(OpenAccount open, Optional<AccountState> current, Instant decidedAt) {
    if (current.isPresent()) {
      return reject(open, current, EXISTS, "account '" + open.accountId() + "' exists already", decidedAt);
    }
    var account = new AccountState(open.accountId(), open.owner(), open.currency(), 0, 1);
    var event = new AccountOpened(open.accountId(), 1, open.requestId(), open.owner(), open.currency(),
        open.receivedAt());
    return accepted(open, account, event, OPENED, "opened account '" + open.accountId() + "'", decidedAt);
  }

  private static Decision deposit(Deposit deposit, AccountState account, long amount, Currency currency,
      Instant decidedAt) {
    if (account.balanceMinor() > Money.MAX_MINOR - amount) {
      return reject(deposit, Optional.of(account), OUT_OF_RANGE, "the balance would exceed "
          + Money.format(Money.MAX_MINOR, currency) + " " + currency.getCurrencyCode(), decidedAt);
    }
    var after = moved(account, account.balanceMinor() + amount);
    var event = new FundsDeposited(account.accountId(), after.version(), deposit.requestId(),
        Money.format(amount, currency), Money.format(after.balanceMinor(), currency), deposit.receivedAt());
    return accepted(deposit, after, event, DEPOSITED, "deposited " + event.amount(), decidedAt);
  }

  private static Decision withdraw(Withdraw withdraw, AccountState account, long amount, Currency currency,
      Instant decidedAt) {
    if (account.balanceMinor() < amount) {
      return reject(withdraw, Optional.of(account), INSUFFICIENT, "the balance is "
          + Money.format(account.balanceMinor(), currency) + " " + currency.getCurrencyCode() + ", "
          + Money.format(amount, currency) + " cannot be withdrawn", decidedAt);
    }
    var after = moved(account, account.balanceMinor() - amount);
    var event = new FundsWithdrawn(account.accountId(), after.version(), withdraw.requestId(),
        Money.format(amount, currency), Money.format(after.balanceMinor(), currency), withdraw.receivedAt());
    return accepted(withdraw, after, event, WITHDRAWN, "withdrew " + event.amount(), decidedAt);
  }

  private static AccountState moved(AccountState account, long balance) {
    return new AccountState(account.accountId(), account.owner(), account.currency(), balance, account.version() + 1);
  }

  private static Decision accepted(AccountCommand command, AccountState after, AccountEvent event, String code,
      String detail, Instant decidedAt) {
    Currency currency = Currency.getInstance(after.currency());
    var data = Map.of("accountId", after.accountId(), "owner", after.owner(), "currency", after.currency(),
        "balance", Money.format(after.balanceMinor(), currency), "version", Long.toString(after.version()));
    return new Decision(Optional.of(after), Optional.of(event),
        Outcome.accepted(command.requestId(), code, after.accountId(), detail, data, decidedAt));
  }

  private static Decision reject(AccountCommand command, Optional<AccountState> current, String code, String detail,
      Instant decidedAt) {
    return new Decision(current, Optional.empty(),
        Outcome.rejected(command.requestId(), code, command.accountId(), detail, decidedAt));
  }
}
