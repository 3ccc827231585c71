package dev.streamledger.contract.user;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.time.RequestTimes;
import java.time.Instant;
import java.util.Objects;

/**
 * Intents about usernames, keyed by the canonical username on
 * {@link dev.streamledger.contract.topic.Topics#USER_COMMANDS}. A command may still be
 * refused; only the projector's decision turns it into a {@link UserEvent}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = UserCommand.ClaimUsername.class, name = "ClaimUsername"),
    @JsonSubTypes.Type(value = UserCommand.ReleaseUsername.class, name = "ReleaseUsername"),
    @JsonSubTypes.Type(value = UserCommand.RequestAccount.class, name = "RequestAccount")
})
public sealed interface UserCommand {

  String requestId();

  /** Canonical username: also the record key. */
  String username();

  /** When the request was received, and created and sent by the client's clock. */
  RequestTimes times();

  /** The sender's proof of who they are (their bearer token), verified by the projector. */
  Credential credential();

  /** When the server received the request. */
  default Instant receivedAt() {
    return times().receivedAt();
  }

  /** Asks for {@code username}; the first claim in the log wins. */
  record ClaimUsername(String requestId, String username, String requestedAs, String displayName,
      RequestTimes times, Credential credential) implements UserCommand {
    public ClaimUsername {
      Objects.requireNonNull(requestId, "requestId");
      new Username(username);
      Objects.requireNonNull(displayName, "displayName");
      Objects.requireNonNull(times, "times");
    }
  }

  /**
   * First stage of opening an account, decided on the owner's partition: is {@code username}
   * registered? If so the account is recorded as the user's and opened on its own partition.
   */
  record RequestAccount(String requestId, String username, String accountId, String currency, RequestTimes times,
      Credential credential) implements UserCommand {
    public RequestAccount {
      Objects.requireNonNull(requestId, "requestId");
      new Username(username);
      Objects.requireNonNull(accountId, "accountId");
      dev.streamledger.contract.account.Money.currency(currency);
      Objects.requireNonNull(times, "times");
    }
  }

  /** Deletes the user holding {@code username}; the name can be claimed again afterwards. */
  record ReleaseUsername(String requestId, String username, RequestTimes times, Credential credential)
      implements UserCommand {
    public ReleaseUsername {
      Objects.requireNonNull(requestId, "requestId");
      new Username(username);
      Objects.requireNonNull(times, "times");
    }
  }
}
