package dev.streamledger.contract.consistency;

import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.transfer.TransferEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What a command changed, as conditions a read view can check: the {@code Consistency-Token}
 * header of every command answer, which a query sends back to read its own writes.
 *
 * <p>Conditions name aggregates and their own versions, not Kafka offsets: the projector decides
 * an account's next version in the same step as the change and reports it in the outcome, while
 * the offsets its transaction will give the events are not known when the outcome is written.
 * A version condition is checked against the one view record of that key, on whichever instance
 * owns it, so the check is exact and cheap. A transfer names, per account it touches, the
 * movement it made there (its debit, credit or refund), since the destination's version is
 * decided on another partition, later. A user's registration or deletion names the user's
 * generation (each registration of a name starts a new one); opening an account also names the
 * owner, whose view lists the account.
 *
 * <p>On the wire: {@code v1.} + base64url of {@code kind:key:value} conditions joined by
 * {@code ;} — opaque to clients.
 */
public record ConsistencyToken(List<Condition> conditions) {

  public static final String HEADER = "Consistency-Token";
  private static final String PREFIX = "v1.";

  public ConsistencyToken {
    conditions = List.copyOf(conditions);
  }

  /**
   * One thing a view must have folded in, about the account or user {@code key}.
   *
   * @param kind {@code a}: the account is at version {@code value} or later; {@code d} / {@code c}
   *     / {@code r}: the account has folded the debit / credit / refund of transfer {@code value};
   *     {@code u}: the user's registration of generation {@code value} (or a later one);
   *     {@code x}: the deletion of generation {@code value} (or a later generation);
   *     {@code o}: the user owns account {@code value}
   */
  public record Condition(char kind, String key, String value) {}

  private static final String KINDS = "acdruxo";

  public static final ConsistencyToken NONE = new ConsistencyToken(List.of());

  /** The conditions an accepted or rejected command's outcome data implies. */
  public static ConsistencyToken of(OutcomeData data) {
    List<Condition> conditions = new ArrayList<>();
    if (data instanceof OutcomeData.Transfer transfer) {
      if (transfer.status() == TransferEvent.Status.COMPLETED) {
        conditions.add(new Condition('d', transfer.from(), transfer.transferId()));
        conditions.add(new Condition('c', transfer.to(), transfer.transferId()));
      } else if (transfer.status() == TransferEvent.Status.REFUNDED) {
        conditions.add(new Condition('r', transfer.from(), transfer.transferId()));
      }
    } else if (data instanceof OutcomeData.Account account) {
      conditions.add(new Condition('a', account.accountId(), Long.toString(account.version())));
      if (account.version() == 1) {
        conditions.add(new Condition('o', account.owner(), account.accountId()));
      }
    } else if (data instanceof OutcomeData.User user && user.generation() != null) {
      conditions.add(new Condition('u', user.username(), Long.toString(user.generation())));
    } else if (data instanceof OutcomeData.UserDeleted deleted) {
      conditions.add(new Condition('x', deleted.username(), Long.toString(deleted.generation())));
    }
    return new ConsistencyToken(conditions);
  }

  public String encode() {
    StringBuilder text = new StringBuilder();
    for (Condition condition : conditions) {
      text.append(text.length() == 0 ? "" : ";").append(condition.kind()).append(':').append(condition.key())
          .append(':').append(condition.value());
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The token in {@code header}, or empty if it is not one this system made. */
  public static Optional<ConsistencyToken> decode(String header) {
    if (header == null || !header.startsWith(PREFIX) || header.length() > 4096) {
      return Optional.empty();
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(header.substring(PREFIX.length())), StandardCharsets.UTF_8);
      List<Condition> conditions = new ArrayList<>();
      for (String part : text.isEmpty() ? new String[0] : text.split(";")) {
        String[] fields = part.split(":", 3);
        if (fields.length != 3 || fields[0].length() != 1 || KINDS.indexOf(fields[0].charAt(0)) < 0) {
          return Optional.empty();
        }
        if ("aux".indexOf(fields[0].charAt(0)) >= 0) {
          Long.parseLong(fields[2]);
        }
        conditions.add(new Condition(fields[0].charAt(0), fields[1], fields[2]));
      }
      return Optional.of(new ConsistencyToken(conditions));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The conditions about the account or user {@code key}. */
  public List<Condition> about(String key) {
    return conditions.stream().filter(condition -> condition.key().equals(key)).toList();
  }
}
