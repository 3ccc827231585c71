package dev.streamledger.contract.request;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.user.UserCommand;
import java.util.Objects;

/**
 * A command sent with an {@code Idempotency-Key}, keyed by its request id on
 * {@link dev.streamledger.contract.topic.Topics#IDEMPOTENT_COMMANDS}. The projector passes the
 * command on to its own topic the first time the key is used, and answers every later use of
 * the key itself: the original outcome for the same request, a rejection for another one.
 *
 * <p>Exactly one of {@code userCommand} and {@code accountCommand} is set, and its request id
 * is this one's.
 */
public record IdempotentCommand(String requestId, UserCommand userCommand, AccountCommand accountCommand) {

  public IdempotentCommand {
    Objects.requireNonNull(requestId, "requestId");
    if (RequestIds.keyIdOf(requestId).isEmpty()) {
      throw new IllegalArgumentException("request id '" + requestId + "' was not made from an idempotency key");
    }
    if ((userCommand == null) == (accountCommand == null)) {
      throw new IllegalArgumentException("exactly one of userCommand and accountCommand must be set");
    }
    String inner = userCommand != null ? userCommand.requestId() : accountCommand.requestId();
    if (!requestId.equals(inner)) {
      throw new IllegalArgumentException("the command's request id '" + inner + "' is not '" + requestId + "'");
    }
  }

  public static IdempotentCommand of(UserCommand command) {
    return new IdempotentCommand(command.requestId(), command, null);
  }

  public static IdempotentCommand of(AccountCommand command) {
    return new IdempotentCommand(command.requestId(), null, command);
  }

  public String keyId() {
    return RequestIds.keyIdOf(requestId).orElseThrow();
  }
}
