package dev.streamledger.command.system;

import dev.streamledger.contract.problem.ProblemType;

/** A request that fails validation, answered as a problem of {@code type}. */
public final class InvalidRequestException extends RuntimeException {

  private final ProblemType type;

  public InvalidRequestException(ProblemType type, String message) {
    super(message);
    this.type = type;
  }

  public ProblemType type() {
    return type;
  }
}
