package dev.streamledger.contract.transfer;

import dev.streamledger.contract.time.RequestTimes;
import java.time.Instant;

/**
 * A transfer's own state, keyed by transfer id on
 * {@link dev.streamledger.contract.topic.Topics#TRANSFER_EVENTS}: {@code REJECTED} at once when
 * the debit is refused; {@code COMPLETED} at once when the source is debited and the account
 * directory vouches for the destination (the credit, committed in the same transaction, cannot
 * fail and follows within milliseconds); otherwise {@code PENDING} once the source is debited,
 * then exactly one of {@code COMPLETED} (credited) or {@code REFUNDED} (the credit could not be
 * applied; {@code reason} says why). Every stage writes its event in the transaction that
 * decides it, and the next stage runs only after that commit, so one transfer's events are in
 * stage order.
 *
 * @param fromSubject the token subject of the source account, who may see the transfer
 * @param toSubject the token subject of the destination account, who may see it too, once known
 *     (absent while a transfer is pending or when it was refused); both absent in events written
 *     before they existed
 */
public record TransferEvent(String transferId, Status status, String from, String to, String amount,
    String reason, String requestId, Instant occurredAt, RequestTimes times, String fromSubject, String toSubject) {

  public enum Status { PENDING, COMPLETED, REJECTED, REFUNDED }
}
