package dev.streamledger.query.view;

import java.time.Instant;

/**
 * One line of an account's statement: the event with that version, folded deterministically from
 * the account's event (so a replay of the log gives the same statement).
 *
 * @param amount signed: negative when money left the account
 * @param occurredAt when the request was made, on the server's clock: the client's creation time
 *     corrected for its clock's offset, or the time it was received ({@link
 *     dev.streamledger.contract.time.RequestTimes#occurredAt()})
 * @param recordedAt the timestamp of the event's record in Kafka
 */
public record StatementEntry(long version, String kind, String amount, String balanceAfter, String transferId,
    String requestId, Instant occurredAt, Instant recordedAt) {}
