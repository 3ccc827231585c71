package dev.streamledger.contract.user;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.streamledger.contract.time.RequestTimes;
import java.time.Instant;

/**
 * Facts about users, keyed by canonical username on
 * {@link dev.streamledger.contract.topic.Topics#USER_EVENTS}. {@code generation} counts the
 * registrations of one name: a name freed and claimed again starts a new generation.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = UserEvent.UserRegistered.class, name = "UserRegistered"),
    @JsonSubTypes.Type(value = UserEvent.UserDeleted.class, name = "UserDeleted"),
    @JsonSubTypes.Type(value = UserEvent.AccountAssigned.class, name = "AccountAssigned")
})
public sealed interface UserEvent {

  String username();

  long generation();

  String requestId();

  /** The three raw timestamps of the request that led to the event. */
  RequestTimes times();

  /**
   * @param subject the token subject the username is now bound to; absent in events written
   *     before it existed, which read as the username itself
   */
  record UserRegistered(String username, long generation, String requestId, String requestedAs,
      String displayName, Instant registeredAt, RequestTimes times, String subject) implements UserEvent {}

  /** The user owns a new account (which is opened next, on its own partition). */
  record AccountAssigned(String username, long generation, String requestId, String accountId, String currency,
      Instant assignedAt, RequestTimes times) implements UserEvent {}

  record UserDeleted(String username, long generation, String requestId, Instant deletedAt, RequestTimes times)
      implements UserEvent {}
}
