package dev.streamledger.contract.security;

/**
 * A command's credential proves nothing: missing, not a token, signed by a key we do not trust,
 * tampered with, expired, or for another issuer or audience. The message says which, and never
 * contains the token.
 */
public class InvalidCredentialException extends IllegalArgumentException {

  public InvalidCredentialException(String message) {
    super(message);
  }
}
