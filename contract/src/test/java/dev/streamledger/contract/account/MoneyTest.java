package dev.streamledger.contract.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency JPY = Currency.getInstance("JPY");
  private static final Currency BHD = Currency.getInstance("BHD");

  @ParameterizedTest
  @CsvSource({"12.50, EUR, 1250", "12.5, EUR, 1250", "12, EUR, 1200", "0.01, EUR, 1", "1200, JPY, 1200",
      "1.234, BHD, 1234", "10000000000000.00, EUR, 1000000000000000"})
  void shouldParseAtTheCurrencyScale(String amount, String currency, long minor) {
    assertThat(Money.parse(amount, Currency.getInstance(currency))).isEqualTo(minor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "0.00", "-1", "+1", "1e3", "1,00", "12.345", " 1", "NaN", "10000000000000.01",
      "99999999999999999999"})
  void shouldRefuseAnythingElse(String amount) {
    assertThatThrownBy(() -> Money.parse(amount, EUR)).isInstanceOf(InvalidAmountException.class);
  }

  @Test
  void shouldRefuseDecimalsInJpy() {
    assertThatThrownBy(() -> Money.parse("1.5", JPY)).isInstanceOf(InvalidAmountException.class)
        .hasMessageContaining("0 decimal places");
  }

  @Test
  void shouldFormatAtTheCurrencyScale() {
    assertThat(Money.format(1250, EUR)).isEqualTo("12.50");
    assertThat(Money.format(0, EUR)).isEqualTo("0.00");
    assertThat(Money.format(1200, JPY)).isEqualTo("1200");
  }

  @ParameterizedTest
  @ValueSource(strings = {"eur", "EURO", "ABC", "XAU", "XXX", ""})
  void shouldRefuseWhatIsNotAnAccountCurrency(String code) {
    assertThatThrownBy(() -> Money.currency(code)).isInstanceOf(InvalidAmountException.class);
  }
}
