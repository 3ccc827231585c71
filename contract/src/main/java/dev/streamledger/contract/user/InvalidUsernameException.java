package dev.streamledger.contract.user;

/** Input that is not a username; the message says why, in words fit for an API client. */
public final class InvalidUsernameException extends IllegalArgumentException {

  public InvalidUsernameException(String message) {
    super(message);
  }
}
