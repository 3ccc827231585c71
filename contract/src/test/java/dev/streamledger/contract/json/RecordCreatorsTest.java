package dev.streamledger.contract.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

class RecordCreatorsTest {

  /** The frames a {@link Probe} was constructed under, innermost first. */
  static final List<List<String>> CONSTRUCTED_UNDER = new ArrayList<>();

  public record Probe(String name, int count) {
    public Probe {
      Objects.requireNonNull(name, "name");
      if (count < 0) {
        throw new IllegalArgumentException("count must not be negative: " + count);
      }
      CONSTRUCTED_UNDER.add(StackWalker.getInstance().walk(frames -> frames.limit(12)
          .map(frame -> frame.getClassName() + "." + frame.getMethodName()).toList()));
    }
  }

  @Test
  void shouldCreateRecordsThroughThePreparedHandleNotInvokeWithArguments() {
    CONSTRUCTED_UNDER.clear();

    Probe probe = Json.MAPPER.readValue("{\"name\":\"a\",\"count\":2}", Probe.class);

    assertThat(probe).isEqualTo(new Probe("a", 2));
    List<String> frames = CONSTRUCTED_UNDER.get(0);
    assertThat(frames).anyMatch(frame -> frame.startsWith(RecordCreators.Spread.class.getName()));
    assertThat(frames).noneMatch(frame -> frame.endsWith("invokeWithArguments"));
  }

  /** Made by a static factory, as some of the contract's values are. */
  public static final class Made {
    final String name;

    private Made(String name) {
      this.name = name;
      CONSTRUCTED_UNDER.add(StackWalker.getInstance().walk(frames -> frames.limit(12)
          .map(frame -> frame.getClassName() + "." + frame.getMethodName()).toList()));
    }

    @JsonCreator
    public static Made of(@JsonProperty("name") String name, @JsonProperty("count") int count) {
      return new Made(name + count);
    }
  }

  @Test
  void shouldCallStaticFactoriesThroughThePreparedHandleToo() {
    CONSTRUCTED_UNDER.clear();

    Made made = Json.MAPPER.readValue("{\"name\":\"a\",\"count\":2}", Made.class);

    assertThat(made.name).isEqualTo("a2");
    assertThat(CONSTRUCTED_UNDER.get(0)).anyMatch(frame -> frame.startsWith(RecordCreators.Spread.class.getName()))
        .noneMatch(frame -> frame.endsWith("invokeWithArguments"));
  }

  @Test
  void shouldFailOnAConstructorsRefusalAsJacksonDoesWithoutIt() {
    JsonMapper plain = JsonMapper.builder().build();
    String invalid = "{\"name\":\"a\",\"count\":-1}";

    assertThatThrownBy(() -> plain.readValue(invalid, Probe.class)).isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("count must not be negative: -1");
    assertThatThrownBy(() -> Json.MAPPER.readValue(invalid, Probe.class))
        .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("count must not be negative: -1");
    assertThatThrownBy(() -> Json.MAPPER.readValue("{\"count\":1}", Probe.class))
        .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("name");
  }
}
