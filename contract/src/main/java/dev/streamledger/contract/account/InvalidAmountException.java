package dev.streamledger.contract.account;

/** An amount or currency that is not acceptable; the message says why, fit for an API client. */
public final class InvalidAmountException extends IllegalArgumentException {

  public InvalidAmountException(String message) {
    super(message);
  }
}
