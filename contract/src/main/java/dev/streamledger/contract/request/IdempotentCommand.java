package dev.streamledger.contract.request;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode;
import dev.streamledger.contract.user.UserCommand;
import java.time.Instant;
import java.util.Objects;

/**
 * A command sent with an {@code Idempotency-Key}, keyed by its request id on
 * {@link dev.streamledger.contract.topic.Topics#IDEMPOTENT_COMMANDS}. The projector passes the
 * command on to its own topic the first time the key is used, and answers every later use of
 * the key itself: the original outcome for the same request, a rejection for another one.
 *
 * <p>Exactly one of {@code userCommand} and {@code accountCommand} is set, and its request id
 * is this one's.
 *
 * @param attempt names this one sending of the request (each HTTP call makes a new one), so that
 *     an answer meant for this attempt alone — the key is still in use by an earlier attempt —
 *     reaches only it ({@link #attemptOutcomeKey()}); absent in records of schema version 1
 */
public record IdempotentCommand(String requestId, UserCommand userCommand, AccountCommand accountCommand,
    String attempt) {

  public IdempotentCommand {
    Objects.requireNonNull(requestId, "requestId");
    if (RequestIds.keyIdOf(requestId).isEmpty()) {
      throw new IllegalArgumentException("request id '" + requestId + "' was not made from an idempotency key");
    }
    if ((userCommand == null) == (accountCommand == null)) {
      throw new IllegalArgumentException("exactly one of userCommand and accountCommand must be set");
    }
    if (attempt != null && !RequestIds.isWellFormed(attempt)) {
      throw new IllegalArgumentException("attempt '" + attempt + "' is not a well-formed id");
    }
    String inner = userCommand != null ? userCommand.requestId() : accountCommand.requestId();
    if (!requestId.equals(inner)) {
      throw new IllegalArgumentException("the command's request id '" + inner + "' is not '" + requestId + "'");
    }
  }

  public static IdempotentCommand of(UserCommand command, String attempt) {
    return new IdempotentCommand(command.requestId(), command, null, attempt);
  }

  public static IdempotentCommand of(AccountCommand command, String attempt) {
    return new IdempotentCommand(command.requestId(), null, command, attempt);
  }

  /**
   * The outcomes-topic key of an answer to this attempt alone: {@code <request id>/<attempt>}
   * (partitioned by the key id, like the request's own outcome); empty without an attempt.
   */
  public java.util.Optional<String> attemptOutcomeKey() {
    return attempt == null ? java.util.Optional.empty() : java.util.Optional.of(RequestIds.attemptKey(requestId, attempt));
  }

  /**
   * The answer to a retry sent while the first request with its key is still being processed
   * (the IETF draft's {@code 409}).
   */
  public static Outcome keyInUse(String requestId, Instant at) {
    return Outcome.rejected(requestId, OutcomeCode.Rejection.IDEMPOTENCY_KEY_IN_USE, null,
        "a request with this Idempotency-Key is still being processed; retry later to get its answer", at);
  }

  public String keyId() {
    return RequestIds.keyIdOf(requestId).orElseThrow();
  }
}
