package dev.streamledger.contract.user;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A username in canonical form: RFC 8265 UsernameCaseMapped (PRECIS IdentifierClass) plus
 * Streamledger's own, stricter rules. Two strings name the same user exactly when their
 * canonical forms are equal, so the canonical form is the Kafka key of every user command.
 *
 * <p>Enforcement, in the order RFC 8265 §3.3.2 gives:
 * <ol>
 *   <li>width mapping: fullwidth and halfwidth code points become their decompositions
 *       ({@code ＡＬＩＣＥ} → {@code ALICE});</li>
 *   <li>case mapping: Unicode default case folding ({@code Straße} → {@code strasse});</li>
 *   <li>normalization: NFC;</li>
 *   <li>directionality: the RFC 5893 Bidi rule, for names with right-to-left code points.</li>
 * </ol>
 * Then our rules: {@value #MIN_LENGTH}–{@value #MAX_LENGTH} code points; only letters, combining
 * marks, decimal digits and {@code . _ -}; the first and last code point a letter or digit.
 */
public record Username(String canonical) {

  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 32;
  /** Longest raw input we look at; anything longer cannot shrink below {@link #MAX_LENGTH}. */
  public static final int MAX_RAW_LENGTH = 4 * MAX_LENGTH;

  public Username {
    if (canonical == null || !canonical.equals(canonicalize(canonical))) {
      throw new IllegalArgumentException("not a canonical username: " + canonical);
    }
  }

  /** Canonicalizes and checks {@code raw}; throws {@link InvalidUsernameException} saying why it is refused. */
  public static Username of(String raw) {
    return new Username(canonicalize(raw));
  }

  @Override
  public String toString() {
    return canonical;
  }

  static String canonicalize(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidUsernameException("a username is required");
    }
    if (raw.length() > MAX_RAW_LENGTH) {
      throw new InvalidUsernameException("a username has at most " + MAX_LENGTH + " characters");
    }
    String mapped = Normalizer.normalize(caseFold(widthMap(raw)), Normalizer.Form.NFC);
    checkCharacters(mapped);
    checkBidi(mapped);
    return mapped;
  }

  private static String widthMap(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      // every code point with a <wide> or <narrow> decomposition lies in U+3000 or U+FF01..U+FFEE,
      // and that decomposition is exactly what NFKC yields for it
      if (cp == 0x3000 || (cp >= 0xFF01 && cp <= 0xFFEE)) {
        out.append(Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKC));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }

  /**
   * Unicode full default case folding, composed from the JDK's full case mappings: lowering
   * first turns capital sharp s into ß, upper-casing expands ß into SS and final sigma into Σ,
   * lowering again gives the folded form, and final sigma is folded like any sigma. (The one known difference from CaseFolding.txt:
   * Cherokee small letters fold to capitals there and to small letters here; both sides of a
   * comparison go through this same function, so equality is unaffected.)
   */
  private static String caseFold(String s) {
    // toLowerCase is context-sensitive for sigma (word-final σ becomes ς); folding is not
    return s.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT).replace('\u03C2', '\u03C3');
  }

  private static void checkCharacters(String s) {
    int length = s.codePointCount(0, s.length());
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw new InvalidUsernameException(
          "a username has " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, this one has " + length);
    }
    int[] cps = s.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int cp = cps[i];
      if (!allowed(cp)) {
        throw new InvalidUsernameException(String.format(
            "character U+%04X at position %d is not allowed: use letters, digits, '.', '_' or '-'", cp, i + 1));
      }
    }
    if (!Character.isLetterOrDigit(cps[0]) || !isLetterDigitOrMark(cps[cps.length - 1])) {
      throw new InvalidUsernameException("a username starts and ends with a letter or digit");
    }
  }

  private static boolean allowed(int cp) {
    if (cp == '.' || cp == '_' || cp == '-') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.LOWERCASE_LETTER, Character.UPPERCASE_LETTER, Character.TITLECASE_LETTER,
           Character.MODIFIER_LETTER, Character.OTHER_LETTER,
           Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK,
           Character.DECIMAL_DIGIT_NUMBER -> true;
      default -> false;
    };
  }

  private static boolean isLetterDigitOrMark(int cp) {
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp)
        || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  /** RFC 5893 §2, applied (as RFC 8265 requires) only to names containing right-to-left code points. */
  private static void checkBidi(String s) {
    int[] dirs = s.codePoints().map(Character::getDirectionality).toArray();
    boolean rtl = false;
    for (int d : dirs) {
      rtl |= d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
          || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC
          || d == Character.DIRECTIONALITY_ARABIC_NUMBER;
    }
    if (!rtl) {
      return;
    }
    int first = dirs[0];
    if (first != Character.DIRECTIONALITY_RIGHT_TO_LEFT && first != Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
      throw new InvalidUsernameException("a right-to-left username starts with a right-to-left letter");
    }
    boolean en = false;
    boolean an = false;
    for (int d : dirs) {
      switch (d) {
        case Character.DIRECTIONALITY_LEFT_TO_RIGHT ->
            throw new InvalidUsernameException("a username does not mix left-to-right and right-to-left letters");
        case Character.DIRECTIONALITY_EUROPEAN_NUMBER -> en = true;
        case Character.DIRECTIONALITY_ARABIC_NUMBER -> an = true;
        default -> { }
      }
    }
    if (en && an) {
      throw new InvalidUsernameException("a username does not mix European and Arabic-Indic digits");
    }
    int last = dirs.length - 1;
    while (last > 0 && dirs[last] == Character.DIRECTIONALITY_NONSPACING_MARK) {
      last--;
    }
    int end = dirs[last];
    if (end != Character.DIRECTIONALITY_RIGHT_TO_LEFT && end != Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC
        && end != Character.DIRECTIONALITY_EUROPEAN_NUMBER && end != Character.DIRECTIONALITY_ARABIC_NUMBER) {
      throw new InvalidUsernameException("a right-to-left username ends with a right-to-left letter or a digit");
    }
  }
}
