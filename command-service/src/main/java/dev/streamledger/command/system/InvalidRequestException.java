package dev.streamledger.command.system;

/** A request that fails validation; {@code code} names the problem type. */
public final class InvalidRequestException extends RuntimeException {

  private final String code;

  public InvalidRequestException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
