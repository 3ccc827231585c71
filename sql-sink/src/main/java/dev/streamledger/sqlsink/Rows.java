package dev.streamledger.sqlsink;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The rows of the SQL copy, one record per table; each names the event that last wrote it. */
final class Rows {

  private Rows() {}

  /** Where a row's last event is: the guard compares a new event's place with it. */
  record Source(String topic, int partition, long offset) {

    /** Whether an event at {@code next} is one this row has not seen: on another partition, or later on this one. */
    boolean isBefore(Source next) {
      return !topic.equals(next.topic) || partition != next.partition || offset < next.offset;
    }
  }

  record Account(String accountId, String owner, String ownerSubject, String currency, BigDecimal balance,
      long version, Instant openedAt, Instant updatedAt, Source source) {}

  record StatementLine(String accountId, long version, String kind, BigDecimal amount, BigDecimal balanceAfter,
      String transferId, String requestId, Instant occurredAt, Instant recordedAt, Source source) {}

  record Transfer(String transferId, String status, String fromAccount, String toAccount, BigDecimal amount,
      String reason, String requestId, Instant occurredAt, Instant updatedAt, Source source) {}

  record User(String username, String displayName, String requestedAs, String subject, Instant registeredAt,
      long generation, List<String> accountIds, boolean deleted, Source source) {}
}
