package dev.streamledger.contract.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsernameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "alice, alice",
      "Alice, alice",
      "ALICE, alice",
      "ＡＬＩＣＥ, alice",          // fullwidth letters are width-mapped
      "ａｌｉｃｅ_1, alice_1",
      "Straße, strasse",           // full case folding
      "STRASSE, strasse",
      "ẞtrasse, sstrasse",         // capital sharp s folds to ss
      "ΣΊΣΥΦΟΣ, σίσυφοσ",          // final sigma folds to sigma
      "Ｊｏｈｎ.Ｄｏｅ, john.doe",
      "ｶﾀｶﾅ, カタカナ",              // halfwidth katakana widen
      "Zoë, zoë",
      "mary-jane, mary-jane",
      "user123, user123",
      "123user, 123user",
  })
  void shouldCanonicalizeVariantsToOneForm(String raw, String canonical) {
    assertThat(Username.of(raw).canonical()).isEqualTo(canonical);
  }

  @org.junit.jupiter.api.Test
  void shouldComposeDecomposedInputToNfc() {
    String decomposed = "zoe\u0308";
    assertThat(Username.of(decomposed).canonical()).isEqualTo("zo\u00eb");
  }

  @org.junit.jupiter.api.Test
  void shouldAcceptRightToLeftNamesThatFollowTheBidiRule() {
    assertThat(Username.of("שלום").canonical()).isEqualTo("שלום");
    assertThat(Username.of("سلام").canonical()).isEqualTo("سلام");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "ab", "a b", "alice!", "al@ce", "alice\u0000", "alice\t", "_alice", "alice.",
      "abcdefghijklmnopqrstuvwxyz0123456", "smile\u263A", "\u200Balice", "a\u3000b",
      "שלוםabc", "abcשלום", "١٢٣4x",
  })
  void shouldRefuseNamesThatBreakTheRules(String raw) {
    assertThatThrownBy(() -> Username.of(raw)).isInstanceOf(InvalidUsernameException.class);
  }

  @org.junit.jupiter.api.Test
  void shouldRefuseNullAndHugeInputWithoutWorkingOnIt() {
    assertThatThrownBy(() -> Username.of(null)).isInstanceOf(InvalidUsernameException.class);
    assertThatThrownBy(() -> Username.of("a".repeat(10_000))).isInstanceOf(InvalidUsernameException.class)
        .hasMessageContaining("at most");
  }

  @org.junit.jupiter.api.Test
  void shouldBeIdempotent() {
    for (String raw : new String[] {"ＡＬＩＣＥ", "Straße", "ΣΊΣΥΦΟΣ", "zoe\u0308"}) {
      String once = Username.of(raw).canonical();
      assertThat(Username.of(once).canonical()).isEqualTo(once);
    }
  }

  @org.junit.jupiter.api.Test
  void shouldRefuseToWrapANonCanonicalString() {
    assertThatThrownBy(() -> new Username("Alice")).isInstanceOf(IllegalArgumentException.class);
  }
}
