package dev.streamledger.query.view;

import java.time.Instant;

/**
 * One line of an account's statement: the event with that version, folded deterministically from
 * the account's event (so a replay of the log gives the same statement).
 *
 * @param amount signed: negative when money left the account
 * @param occurredAt when the client's request was received (the skew-corrected time of later issues)
 * @param recordedAt the timestamp of the event's record in Kafka
 */
public record StatementEntry(long version, String kind, String amount, String balanceAfter, String transferId,
    String requestId, Instant occurredAt, Instant recordedAt) {}
