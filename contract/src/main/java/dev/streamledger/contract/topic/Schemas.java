package dev.streamledger.contract.topic;

import dev.streamledger.contract.json.Schema;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The history of every topic's value schema, and how each older version is read (upcast). A
 * version changes when a value's shape changes in a way an older or newer reader would misread;
 * adding an optional field (absent reads as its default) does not need one. The AsyncAPI document
 * describes the current versions.
 */
public final class Schemas {

  /**
   * User and account commands. v2: the single {@code receivedAt} became {@code times}
   * ({@code receivedAt}, and the client's {@code clientCreatedAt} / {@code clientSentAt}).
   */
  public static final Schema COMMANDS = new Schema(2, Map.of(1, Schemas::timesFromReceivedAt));

  /** Commands with an idempotency key. v2: the command inside is a v2 command; optional {@code attempt}. */
  public static final Schema IDEMPOTENT_COMMANDS = new Schema(2, Map.of(1, value -> {
    for (String field : new String[] {"userCommand", "accountCommand"}) {
      if (value.get(field) instanceof ObjectNode command) {
        timesFromReceivedAt(command);
      }
    }
  }));

  /**
   * Account and transfer events. v2: {@code times}, the request's three timestamps, beside
   * {@code occurredAt}; a v1 event's {@code occurredAt} was the time the server received the
   * request, which is what its {@code times} become.
   */
  public static final Schema ACCOUNT_EVENTS = new Schema(2, Map.of(1, value -> timesFrom(value, "occurredAt")));

  /** Transfer events: as {@link #ACCOUNT_EVENTS}. */
  public static final Schema TRANSFER_EVENTS = ACCOUNT_EVENTS;

  /** User events. v2: {@code times}; v1 events had only the time the server received the request. */
  public static final Schema USER_EVENTS = new Schema(2, Map.of(1, value -> {
    String type = value.path("type").asString("");
    timesFrom(value, switch (type) {
      case "UserRegistered" -> "registeredAt";
      case "AccountAssigned" -> "assignedAt";
      default -> "deletedAt";
    });
  }));

  /** Outcomes (optional {@code replayed} since, no new version), account directory: unchanged. */
  public static final Schema UNCHANGED = Schema.first();

  private Schemas() {}

  private static void timesFromReceivedAt(ObjectNode command) {
    JsonNode receivedAt = command.remove("receivedAt");
    if (receivedAt != null && !command.has("times")) {
      command.putObject("times").set("receivedAt", receivedAt);
    }
  }

  private static void timesFrom(ObjectNode event, String receivedField) {
    JsonNode receivedAt = event.get(receivedField);
    if (receivedAt != null && !event.has("times")) {
      event.putObject("times").set("receivedAt", receivedAt);
    }
  }
}
