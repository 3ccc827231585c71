package dev.streamledger.contract.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.PropertyName;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.bean.BeanDeserializerBase;
import tools.jackson.databind.json.JsonMapper;

class IsoInstantsTest {

  /** What Jackson does without the module: the reference every answer here is compared with. */
  private static final JsonMapper JACKSON = JsonMapper.builder().build();

  public record Stamped(Instant at, List<Instant> more) {}

  private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  @Test
  void shouldWriteWhatInstantToStringWritesAcrossTheWholeRangeAndBeyond() {
    for (Instant instant : instants(new Random(12), 200_000)) {
      assertThat(IsoInstants.format(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Test
  void shouldReadEveryInstantItWritesAsJavaTimeReadsIt() {
    for (Instant instant : instants(new Random(34), 200_000)) {
      String text = instant.toString();
      Instant parsed = IsoInstants.parse(text);
      if (instant.getEpochSecond() >= FIRST && instant.getEpochSecond() <= LAST) {
        assertThat(parsed).as(text).isEqualTo(instant);
      } else {
        assertThat(parsed).as(text).isNull(); // a sign and five digits: java.time's to read
      }
    }
  }

  @Test
  void shouldReadEveryFractionLengthAsJavaTimeDoes() {
    String digits = "123456789";
    for (int length = 1; length <= 9; length++) {
      String text = "2026-12-04T16:02:34." + digits.substring(0, length) + "Z";
      assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void shouldLeaveToJavaTimeWhatIsNotTheUsualFormOrNotATime() {
    for (String text : List.of("2026-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z", "2026-12-04T24:00:00Z",
        "2026-12-04T23:60:00Z", "2026-12-04T23:59:60Z", "2026-12-04T16:02:34.Z", "2026-12-04T16:02:34.1234567890Z",
        "2026-12-04t16:02:34Z", "2026-12-04T16:02:34z", "2026-12-04T16:02:34+00:00", "+2026-12-04T16:02:34Z",
        "2026-12-04T16:02Z", " 2026-12-04T16:02:34Z", "2026-12-04T16:02:34Z ", "2026-1a-04T16:02:34Z",
        "2026-12-04T16:02:34,5Z", "2026-12-04T16:02:34.-5Z", "")) {
      assertThat(IsoInstants.parse(text)).as(text).isNull();
    }
  }

  @Test
  void shouldGiveWhatJavaTimeGivesWheneverItGivesAnythingForMangledText() {
    Random random = new Random(56);
    String alphabet = "0123456789-:.TZz+ 9";
    int read = 0;
    for (Instant instant : instants(random, 100_000)) {
      char[] text = instant.toString().toCharArray();
      for (int changes = 1 + random.nextInt(2); changes > 0; changes--) {
        text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String mangled = new String(text);
      Instant parsed = IsoInstants.parse(mangled);
      if (parsed != null) {
        read++;
        assertThat(Instant.from(DateTimeFormatter.ISO_INSTANT.parse(mangled))).as(mangled).isEqualTo(parsed);
      }
    }
    assertThat(read).as("mangled texts that still read as instants").isGreaterThan(10_000);
  }

  @Test
  void shouldWriteAndReadRecordsAsJacksonDoesWithoutIt() {
    for (Instant instant : instants(new Random(78), 2_000)) {
      Stamped stamped = new Stamped(instant, List.of(instant, Instant.EPOCH));

      String written = Json.MAPPER.writeValueAsString(stamped);

      assertThat(written).isEqualTo(JACKSON.writeValueAsString(stamped));
      assertThat(Json.MAPPER.readValue(written, Stamped.class)).isEqualTo(stamped);
    }
  }

  @Test
  void shouldLeaveOtherFormsToJacksonsOwnDeserializer() {
    for (String value : List.of("\"2026-12-04T17:02:34.5+01:00\"", "\"2026-12-04T16:02:34.906+0000\"",
        "\"2026-12-04T16:02:34z\"", "\"+12026-12-04T16:02:34Z\"", "1733328154", "1733328154.906",
        "\"1733328154\"", "\" 2026-12-04T16:02:34Z \"", "null")) {
      String json = "{\"at\":" + value + "}";
      assertThat(Json.MAPPER.readValue(json, Stamped.class)).as(json)
          .isEqualTo(JACKSON.readValue(json, Stamped.class));
    }
  }

  @Test
  void shouldRefuseWhatJacksonRefusesWithItsOwnError() {
    for (String value : List.of("\"2026-02-29T00:00:00Z\"", "\"2026-12-04T24:00:01Z\"", "\"yesterday\"", "true")) {
      String json = "{\"at\":" + value + "}";
      Class<? extends Throwable> jacksons = thrownBy(() -> JACKSON.readValue(json, Stamped.class));
      assertThat(jacksons).as(json).isNotNull();
      assertThatThrownBy(() -> Json.MAPPER.readValue(json, Stamped.class)).as(json)
          .isInstanceOf(jacksons).isInstanceOf(JacksonException.class);
    }
  }

  @Test
  void shouldBeWhatTheKafkaMapperUsesForInstants() throws Exception {
    Method serialization = tools.jackson.databind.ObjectMapper.class.getDeclaredMethod("_serializationContext");
    Method deserialization = tools.jackson.databind.ObjectMapper.class.getDeclaredMethod("_deserializationContext");
    serialization.setAccessible(true);
    deserialization.setAccessible(true);
    SerializationContext writing = (SerializationContext) serialization.invoke(Json.MAPPER);
    DeserializationContext reading = (DeserializationContext) deserialization.invoke(Json.MAPPER);

    assertThat(writing.findValueSerializer(Instant.class)).isInstanceOf(IsoInstants.Writer.class);
    // as Jackson adapts it to a record's component
    assertThat(writing.findValueSerializer(Stamped.class).properties()).toIterable()
        .filteredOn(property -> property.getName().equals("at"))
        .singleElement().satisfies(property -> assertThat(((tools.jackson.databind.ser.BeanPropertyWriter) property)
            .getSerializer()).isInstanceOf(IsoInstants.Writer.class));
    assertThat(reading.findRootValueDeserializer(reading.constructType(Instant.class)))
        .isInstanceOf(IsoInstants.Reader.class);
    var stamped = (BeanDeserializerBase) reading.findRootValueDeserializer(reading.constructType(Stamped.class));
    assertThat(stamped.findProperty(PropertyName.construct("at")).getValueDeserializer()).isInstanceOf(IsoInstants.Reader.class);
  }

  /** Instants across years 0000 to 9999 and a little beyond, with each kind of fraction, and the edges. */
  private static List<Instant> instants(Random random, int count) {
    List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(FIRST),
        Instant.ofEpochSecond(LAST, 999_999_999), Instant.ofEpochSecond(FIRST - 1, 999_999_999),
        Instant.ofEpochSecond(LAST + 1), Instant.parse("2000-02-29T23:59:59.999Z"),
        Instant.parse("1900-03-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.000000001Z"),
        Instant.MIN, Instant.MAX));
    while (instants.size() < count) {
      long span = LAST - FIRST;
      long seconds = FIRST - 86_400L * 400 + (long) (random.nextDouble() * (span + 86_400L * 800));
      int nanos = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      instants.add(Instant.ofEpochSecond(seconds, nanos));
    }
    return instants;
  }

  private static Class<? extends Throwable> thrownBy(Runnable reading) {
    try {
      reading.run();
      return null;
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }
}
