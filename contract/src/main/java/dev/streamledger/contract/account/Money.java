package dev.streamledger.contract.account;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Money as Streamledger moves it: a whole number of minor units (cents) of one ISO 4217
 * currency. On the wire it is a decimal string at most at the currency's scale ({@code "12.50"}
 * EUR, {@code "1200"} JPY), never a float. One amount is at most {@link #MAX_MINOR}; balances
 * are exact integers of any size, so adding to one can never overflow nor be refused.
 */
public final class Money {

  /** 10^15 minor units: ten trillion euros. Larger amounts are refused. */
  public static final long MAX_MINOR = 1_000_000_000_000_000L;

  private static final Pattern DECIMAL = Pattern.compile("\\d{1,19}(\\.\\d{1,4})?");
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

  private Money() {}

  /** The ISO 4217 currency for {@code code}, if it is one accounts can be opened in. */
  public static Currency currency(String code) {
    if (code == null || !CURRENCY_CODE.matcher(code).matches()) {
      throw new InvalidAmountException("a currency is a three-letter ISO 4217 code, such as EUR");
    }
    try {
      Currency currency = Currency.getInstance(code);
      if (currency.getDefaultFractionDigits() < 0 || NOT_MONEY.contains(code)) {
        throw new InvalidAmountException("'" + code + "' is not a currency accounts can hold");
      }
      return currency;
    } catch (IllegalArgumentException e) {
      throw new InvalidAmountException("'" + code + "' is not an ISO 4217 currency code");
    }
  }

  /** Codes that are ISO 4217 but not money one holds in an account (funds, metals, testing). */
  private static final Set<String> NOT_MONEY = Set.of("XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XDR", "XSU", "XUA",
      "XBA", "XBB", "XBC", "XBD");

  /**
   * Checks that {@code amount} is a positive decimal string, before the currency that decides
   * its scale is known; returns it unchanged.
   */
  public static String requireDecimal(String amount) {
    if (amount == null || !DECIMAL.matcher(amount).matches()) {
      throw new InvalidAmountException("an amount is a positive decimal string such as \"12.50\"");
    }
    if (new BigDecimal(amount).signum() <= 0) {
      throw new InvalidAmountException("an amount is greater than zero");
    }
    return amount;
  }

  /** Parses a positive decimal amount in {@code currency} into minor units. */
  public static long parse(String amount, Currency currency) {
    BigDecimal value = new BigDecimal(requireDecimal(amount));
    int scale = currency.getDefaultFractionDigits();
    if (value.scale() > scale) {
      throw new InvalidAmountException(currency.getCurrencyCode() + " amounts have at most " + scale
          + " decimal places");
    }
    BigDecimal minor = value.movePointRight(scale);
    if (minor.signum() <= 0) {
      throw new InvalidAmountException("an amount is greater than zero");
    }
    if (minor.compareTo(BigDecimal.valueOf(MAX_MINOR)) > 0) {
      throw new InvalidAmountException("an amount is at most " + format(MAX_MINOR, currency));
    }
    return minor.longValueExact();
  }

  /** Minor units as a decimal string at the currency's scale. */
  public static String format(long minor, Currency currency) {
    return BigDecimal.valueOf(minor, currency.getDefaultFractionDigits()).toPlainString();
  }

  /** Minor units (a balance, of any size) as a decimal string at the currency's scale. */
  public static String format(BigInteger minor, Currency currency) {
    return new BigDecimal(minor, currency.getDefaultFractionDigits()).toPlainString();
  }
}
