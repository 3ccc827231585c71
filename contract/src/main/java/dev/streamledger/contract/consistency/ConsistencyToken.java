package dev.streamledger.contract.consistency;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
  public static ConsistencyToken of(Map<String, String> data) {
    List<Condition> conditions = new ArrayList<>();
    String transferId = data.get("transferId");
    String status = data.get("status");
    if (transferId != null && status != null) {
      if ("COMPLETED".equals(status)) {
        conditions.add(new Condition('d', data.get("from"), transferId));
        conditions.add(new Condition('c', data.get("to"), transferId));
      } else if ("REFUNDED".equals(status)) {
        conditions.add(new Condition('r', data.get("from"), transferId));
      }
    } else if (data.get("accountId") != null && data.get("version") != null) {
      conditions.add(new Condition('a', data.get("accountId"), data.get("version")));
      if (data.get("owner") != null && "1".equals(data.get("version"))) {
        conditions.add(new Condition('o', data.get("owner"), data.get("accountId")));
      }
    } else if (data.get("username") != null && data.get("generation") != null) {
      conditions.add(new Condition("true".equals(data.get("deleted")) ? 'x' : 'u', data.get("username"),
          data.get("generation")));
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
