package dev.streamledger.contract.json;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.ext.javatime.ser.InstantSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Writes and reads {@link Instant}s in the form every record here has them,
 * {@code 2026-12-04T16:02:34.906Z}, by hand around {@link LocalDate}'s calendar arithmetic
 * instead of through java.time's formatter, which builds a new formatter for every instant it
 * parses: 10 % of the query service's samples and 5 % of the projector's (docs/performance.md,
 * change 12). What is written
 * is exactly {@link Instant#toString()}; anything not in that form (an offset, a lower-case
 * {@code z}, a year past 9999, a number) is left to Jackson's own deserializer, as is every
 * instant a property's {@code @JsonFormat} governs. So nothing read or written changes.
 */
public final class IsoInstants extends SimpleModule {

  /** {@code 0000-01-01T00:00:00Z} and {@code 9999-12-31T23:59:59Z}: the years written with four digits. */
  private static final long FIRST_SECOND = -62_167_219_200L;
  private static final long LAST_SECOND = 253_402_300_799L;
  private static final long SECONDS_PER_DAY = 86_400;

  public IsoInstants() {
    super("iso-instants");
    addSerializer(Instant.class, new Writer());
    addDeserializer(Instant.class, new Reader());
  }

  /** {@code instant.toString()}. */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
      return instant.toString(); // a sign and more digits for the year
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY)); // arithmetic, no formatter
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    int year = date.getYear();
    int month = date.getMonthValue();
    int day = date.getDayOfMonth();

    char[] out = new char[30];
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, month, 2);
    out[7] = '-';
    digits(out, 8, day, 2);
    out[10] = 'T';
    digits(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    digits(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    digits(out, 17, secondOfDay % 60, 2);
    int length = 19;
    int nanos = instant.getNano();
    if (nanos != 0) { // in groups of three digits, as few as it takes
      out[length++] = '.';
      if (nanos % 1_000_000 == 0) {
        length = digits(out, length, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        length = digits(out, length, nanos / 1_000, 6);
      } else {
        length = digits(out, length, nanos, 9);
      }
    }
    out[length++] = 'Z';
    return new String(out, 0, length);
  }

  /**
   * The instant {@code text} says when it has the form {@link #format} writes (a year of four
   * digits, up to nine digits of fraction, {@code Z}), or null when it has not: then
   * {@link DateTimeFormatter#ISO_INSTANT} decides. Where this gives an instant, that formatter
   * gives the same one.
   */
  public static Instant parse(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null; // not a number, or a time java.time checks itself (24:00, a leap second)
    }
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21;
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      nanos = number(text, 20, fraction);
      if (nanos < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    } else if (text.charAt(19) != 'Z') {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code text} from {@code from}, {@code count} digits, or -1. */
  private static int number(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  /** Writes {@code value} as {@code count} digits, zero-padded; returns the index after them. */
  private static int digits(char[] out, int from, int value, int count) {
    for (int i = from + count - 1; i >= from; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return from + count;
  }

  /**
   * Jackson's serializer, formatting as {@link #format} where it would call {@code toString()};
   * it stays one when Jackson adapts it to a property (which it does for every property).
   */
  static final class Writer extends InstantSerializer {

    Writer() {}

    private Writer(Writer base, DateTimeFormatter formatter, Boolean useTimestamp, Boolean useNanoseconds,
        JsonFormat.Shape shape) {
      super(base, formatter, useTimestamp, useNanoseconds, shape);
    }

    @Override
    protected Writer withFormat(DateTimeFormatter formatter, Boolean useTimestamp, JsonFormat.Shape shape) {
      return new Writer(this, formatter, useTimestamp, _useNanoseconds, shape);
    }

    @Override
    protected Writer withFeatures(Boolean writeZoneId, Boolean writeNanoseconds) {
      return new Writer(this, _formatter, _useTimestamp, writeNanoseconds, _shape);
    }

    @Override
    protected String formatValue(Instant value, SerializationContext context) {
      return _formatter == null ? format(value) : super.formatValue(value, context);
    }
  }

  /** Jackson's deserializer, reading the usual form as {@link #parse} does and leaving it the rest. */
  static final class Reader extends InstantDeserializer<Instant> {

    Reader() {
      super(InstantDeserializer.INSTANT, DateTimeFormatter.ISO_INSTANT);
    }

    @Override
    protected Instant _fromString(JsonParser parser, DeserializationContext context, String text) {
      Instant instant = parse(text);
      return instant != null ? instant : super._fromString(parser, context, text);
    }
  }
}
