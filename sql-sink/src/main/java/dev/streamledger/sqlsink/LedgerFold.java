package dev.streamledger.sqlsink;

import dev.streamledger.contract.account.AccountEvent.AccountOpened;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.Money;
import dev.streamledger.contract.transfer.TransferEvent;
import dev.streamledger.contract.user.UserEvent.AccountAssigned;
import dev.streamledger.contract.user.UserEvent.UserDeleted;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.sqlsink.Rows.Account;
import dev.streamledger.sqlsink.Rows.Source;
import dev.streamledger.sqlsink.Rows.StatementLine;
import dev.streamledger.sqlsink.Rows.Transfer;
import dev.streamledger.sqlsink.Rows.User;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a batch of events into rows, starting from the rows the database holds for their keys:
 * the same fold as the query service's views (module query-service, {@code ReadViewTopology}),
 * so the SQL copy and the views agree line for line. Each fold returns why an event cannot be
 * folded, or null; an event a row has already seen (its place is not after the row's source, or
 * its version is not newer) changes nothing. Pure: no database, no Kafka.
 */
final class LedgerFold {

  private final Map<String, Account> accounts;
  private final Map<String, Transfer> transfers;
  private final Map<String, User> users;
  private final Map<String, Account> changedAccounts = new LinkedHashMap<>();
  private final Map<String, Transfer> changedTransfers = new LinkedHashMap<>();
  private final Map<String, User> changedUsers = new LinkedHashMap<>();
  private final List<StatementLine> lines = new ArrayList<>();

  /** Starts from the rows the database holds (keyed by account id, transfer id, username). */
  LedgerFold(Map<String, Account> accounts, Map<String, Transfer> transfers, Map<String, User> users) {
    this.accounts = new LinkedHashMap<>(accounts);
    this.transfers = new LinkedHashMap<>(transfers);
    this.users = new LinkedHashMap<>(users);
  }

  String account(String key, AccountEvent event, Source source, Instant recordedAt) {
    if (!key.equals(event.accountId())) {
      return "key '" + key + "' is not the event's account id '" + event.accountId() + "'";
    }
    Account current = accounts.get(key);
    if (current != null && (!current.source().isBefore(source) || current.version() >= event.version())) {
      return null; // already folded in: a redelivery
    }
    long expected = current == null ? 1 : current.version() + 1;
    if (event.version() != expected) {
      return "version " + event.version() + " of account '" + key + "' follows version " + (expected - 1);
    }
    Account next;
    StatementLine line;
    if (event instanceof AccountOpened opened) {
      // as the views: any ISO 4217 code the projector opened an account in
      BigDecimal zero = new BigDecimal(Money.format(0, Currency.getInstance(opened.currency())));
      next = new Account(key, opened.owner(), opened.ownerSubject(), opened.currency(), zero, 1, recordedAt,
          recordedAt, source);
      line = new StatementLine(key, 1, opened.kind(), zero, zero, null, opened.requestId(), opened.occurredAt(),
          recordedAt, source);
    } else {
      AccountEvent.Movement movement = (AccountEvent.Movement) event;
      if (current == null) {
        return "a " + event.kind() + " on account '" + key + "', which was never opened";
      }
      BigDecimal balance = new BigDecimal(movement.balanceAfter());
      next = new Account(key, current.owner(), current.ownerSubject(), current.currency(), balance,
          event.version(), current.openedAt(), recordedAt, source);
      line = new StatementLine(key, event.version(), event.kind(), new BigDecimal(movement.signedAmount()), balance,
          event.transferId(), event.requestId(), event.occurredAt(), recordedAt, source);
    }
    accounts.put(key, next);
    changedAccounts.put(key, next);
    lines.add(line);
    return null;
  }

  String transfer(String key, TransferEvent event, Source source, Instant recordedAt) {
    if (!key.equals(event.transferId())) {
      return "key '" + key + "' is not the event's transfer id '" + event.transferId() + "'";
    }
    Transfer current = transfers.get(key);
    // a final status is final: a redelivered PENDING cannot undo it
    if (current != null && (!current.source().isBefore(source) || !"PENDING".equals(current.status()))) {
      return null;
    }
    // a refund does not name the destination again: the earlier event's is kept
    String to = event.to() != null || current == null ? event.to() : current.toAccount();
    Transfer next = new Transfer(key, event.status().name(), event.from(), to, new BigDecimal(event.amount()),
        event.reason(), event.requestId(), event.occurredAt(), recordedAt, source);
    transfers.put(key, next);
    changedTransfers.put(key, next);
    return null;
  }

  String user(String key, UserEvent event, Source source) {
    if (!key.equals(event.username())) {
      return "key '" + key + "' is not the event's username '" + event.username() + "'";
    }
    User current = users.get(key);
    if (current != null && !current.source().isBefore(source)) {
      return null; // already folded in: a redelivery
    }
    User next;
    if (event instanceof AccountAssigned assigned) {
      if (current == null || current.deleted()) {
        return "an account assigned to '" + key + "', who is not registered";
      }
      List<String> accountIds = new ArrayList<>(current.accountIds());
      accountIds.add(assigned.accountId());
      next = new User(key, current.displayName(), current.requestedAs(), current.subject(), current.registeredAt(),
          current.generation(), List.copyOf(accountIds), false, source);
    } else if (event instanceof UserRegistered registered) {
      next = new User(key, registered.displayName(), registered.requestedAs(), registered.subject(),
          registered.registeredAt(), registered.generation(), List.of(), false, source);
    } else if (event instanceof UserDeleted deleted) {
      next = new User(key, null, null, null, null, deleted.generation(), List.of(), true, source);
    } else {
      throw new IllegalStateException("unknown user event " + event.getClass());
    }
    users.put(key, next);
    changedUsers.put(key, next);
    return null;
  }

  /** The accounts this batch changed, each in its last state. */
  Collection<Account> changedAccounts() {
    return changedAccounts.values();
  }

  /** The statement lines this batch added, in the order of their events. */
  List<StatementLine> lines() {
    return lines;
  }

  Collection<Transfer> changedTransfers() {
    return changedTransfers.values();
  }

  Collection<User> changedUsers() {
    return changedUsers.values();
  }
}
