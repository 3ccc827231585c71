package dev.streamledger.contract.outcome;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.streamledger.contract.transfer.TransferEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an outcome tells its client beside the code: one record per kind, so readers read fields.
 *
 * <p>On the wire it is the outcome's {@code data}: a JSON object of strings, as every outcome
 * ever written has it (outcomes are kept for eight days and replayed to retries, so the form
 * does not change). {@link #fields()} writes it and {@link #of(Map)} reads it — the only two
 * places that know the names; the kind is told by which names are present. Every shape written
 * since the first release reads (a user's registration before generations were reported has
 * none; a deletion then had no data at all, which reads as {@link #NONE}).
 */
public sealed interface OutcomeData permits OutcomeData.None, OutcomeData.Account, OutcomeData.Transfer,
    OutcomeData.User, OutcomeData.UserDeleted, OutcomeData.KeyReused {

  None NONE = new None();

  /** The wire form: the outcome's {@code data} object. */
  @JsonValue
  Map<String, String> fields();

  /** Nothing beyond the code and the detail (most rejections). */
  record None() implements OutcomeData {
    @Override
    public Map<String, String> fields() {
      return Map.of();
    }
  }

  /** An account after the command: opened, deposited to or withdrawn from. */
  record Account(String accountId, String owner, String currency, String balance, long version)
      implements OutcomeData {
    public Account {
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(balance, "balance");
    }

    @Override
    public Map<String, String> fields() {
      return Map.of("accountId", accountId, "owner", owner, "currency", currency, "balance", balance,
          "version", Long.toString(version));
    }
  }

  /**
   * A transfer as its deciding stage left it.
   *
   * @param to empty in a refund's outcome
   * @param reason the rejection code, for a rejected or refunded transfer
   */
  record Transfer(String transferId, TransferEvent.Status status, String from, String to, String amount,
      String reason) implements OutcomeData {
    public Transfer {
      Objects.requireNonNull(transferId, "transferId");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(amount, "amount");
    }

    @Override
    public Map<String, String> fields() {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("transferId", transferId);
      fields.put("status", status.name());
      putIfPresent(fields, "from", from);
      putIfPresent(fields, "to", to);
      fields.put("amount", amount);
      putIfPresent(fields, "reason", reason);
      return fields;
    }
  }

  /**
   * A registered user.
   *
   * @param generation which registration of the name this is (each one starts a new generation);
   *     absent from outcomes written before generations were reported
   */
  record User(String username, String displayName, Instant registeredAt, Long generation) implements OutcomeData {
    public User {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(displayName, "displayName");
      Objects.requireNonNull(registeredAt, "registeredAt");
    }

    @Override
    public Map<String, String> fields() {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("username", username);
      fields.put("displayName", displayName);
      fields.put("registeredAt", registeredAt.toString());
      putIfPresent(fields, "generation", generation == null ? null : generation.toString());
      return fields;
    }
  }

  /** A deleted user: the generation that ended. */
  record UserDeleted(String username, long generation) implements OutcomeData {
    public UserDeleted {
      Objects.requireNonNull(username, "username");
    }

    @Override
    public Map<String, String> fields() {
      return Map.of("username", username, "generation", Long.toString(generation), "deleted", "true");
    }
  }

  /** The rejection of a request whose Idempotency-Key was first used, for another request, at {@code firstUsedAt}. */
  record KeyReused(Instant firstUsedAt) implements OutcomeData {
    @Override
    public Map<String, String> fields() {
      return Map.of("firstUsedAt", firstUsedAt.toString());
    }
  }

  /**
   * The data written as {@code fields}.
   *
   * @throws IllegalArgumentException if they are of no kind this code knows, or a value is malformed
   */
  static OutcomeData of(Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      return NONE;
    }
    try {
      if (fields.containsKey("transferId")) {
        return new Transfer(fields.get("transferId"), TransferEvent.Status.valueOf(fields.get("status")),
            fields.get("from"), fields.get("to"), fields.get("amount"), fields.get("reason"));
      }
      if (fields.containsKey("accountId")) {
        return new Account(fields.get("accountId"), fields.get("owner"), fields.get("currency"), fields.get("balance"),
            Long.parseLong(fields.get("version")));
      }
      if (fields.containsKey("username") && "true".equals(fields.get("deleted"))) {
        return new UserDeleted(fields.get("username"), Long.parseLong(fields.get("generation")));
      }
      if (fields.containsKey("username")) {
        String generation = fields.get("generation");
        return new User(fields.get("username"), fields.get("displayName"), Instant.parse(fields.get("registeredAt")),
            generation == null ? null : Long.valueOf(generation));
      }
      if (fields.containsKey("firstUsedAt")) {
        return new KeyReused(Instant.parse(fields.get("firstUsedAt")));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed outcome data " + fields.keySet() + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("outcome data of no known kind: " + fields.keySet());
  }

  private static void putIfPresent(Map<String, String> fields, String name, String value) {
    if (value != null) {
      fields.put(name, value);
    }
  }
}
