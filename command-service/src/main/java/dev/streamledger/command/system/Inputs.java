package dev.streamledger.command.system;

import dev.streamledger.contract.account.InvalidAmountException;
import dev.streamledger.contract.account.Money;
import dev.streamledger.contract.problem.ProblemTypes;
import java.util.UUID;

/** Checks of request fields shared by several endpoints; each failure is a {@code 400} problem. */
public final class Inputs {

  private Inputs() {}

  public static String accountId(String raw) {
    if (raw == null || raw.length() != 36 || !raw.equals(parsesAsUuid(raw))) {
      throw new InvalidRequestException(ProblemTypes.INVALID_ACCOUNT_ID, "an account id is a lower-case UUID");
    }
    return raw;
  }

  private static String parsesAsUuid(String raw) {
    try {
      return UUID.fromString(raw).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public static String currency(String raw) {
    try {
      return Money.currency(raw).getCurrencyCode();
    } catch (InvalidAmountException e) {
      throw new InvalidRequestException(ProblemTypes.INVALID_CURRENCY, e.getMessage());
    }
  }

  public static String amount(String raw) {
    try {
      return Money.requireDecimal(raw);
    } catch (InvalidAmountException e) {
      throw new InvalidRequestException(ProblemTypes.INVALID_AMOUNT, e.getMessage());
    }
  }
}
