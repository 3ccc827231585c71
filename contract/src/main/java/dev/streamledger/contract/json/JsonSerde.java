package dev.streamledger.contract.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON serde for one value type (usually a sealed hierarchy with stable type names).
 * Bad bytes raise {@link SerializationException}, never anything else, so callers have one
 * thing to route to the dead-letter topic.
 *
 * <p>A serde with a {@link Schema} — every topic's — writes {@code "schemaVersion":N} as the
 * first field of each value and reads values of any version up to its own, upcasting older ones;
 * a newer or nonsensical version is a {@link SerializationException}. A serde without one (the
 * values of internal state stores) writes the bare object.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final Class<T> type;
  /** Prepared once for the type: {@code readValue(bytes, type)} looks the type up on every call (change 13). */
  private final ObjectReader reader;
  private final Schema schema;
  /** {@code {"schemaVersion":N,}}: what a value of the current version starts with. */
  private final byte[] currentPrefix;

  /** A serde of internal state: no schema version. */
  public JsonSerde(Class<T> type) {
    this(type, null);
  }

  /** A serde of a topic's values, written in {@code schema}'s current version. */
  public JsonSerde(Class<T> type, Schema schema) {
    this.type = type;
    this.reader = Json.MAPPER.readerFor(type);
    this.schema = schema;
    this.currentPrefix = schema == null ? null
        : ("{\"" + Schema.VERSION_FIELD + "\":" + schema.current() + ",").getBytes(StandardCharsets.UTF_8);
  }

  public Class<T> type() {
    return type;
  }

  /** The schema of the values, or {@code null} for internal state. */
  public Schema schema() {
    return schema;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    byte[] json;
    try {
      json = Json.MAPPER.writeValueAsBytes(data);
    } catch (JacksonException e) {
      throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON", e);
    }
    if (schema == null) {
      return json;
    }
    // {"schemaVersion":N, + the object's fields (every value type has at least one)
    byte[] versioned = Arrays.copyOf(currentPrefix, currentPrefix.length + json.length - 1);
    System.arraycopy(json, 1, versioned, currentPrefix.length, json.length - 1);
    return versioned;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      T value = schema == null || startsWithCurrentVersion(data)
          ? reader.<T>readValue(data)
          : Json.MAPPER.treeToValue(upcast(Json.MAPPER.readTree(data)), type);
      if (value == null) {
        throw new SerializationException("JSON null is not a " + type.getSimpleName());
      }
      return value;
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      // records validate in their constructors (IllegalArgumentException / NPE)
      throw new SerializationException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private boolean startsWithCurrentVersion(byte[] data) {
    return data.length > currentPrefix.length
        && Arrays.equals(data, 0, currentPrefix.length, currentPrefix, 0, currentPrefix.length);
  }

  /** The value as the current version: written by an older one (or with its fields in another order). */
  private JsonNode upcast(JsonNode tree) {
    if (!(tree instanceof ObjectNode value)) {
      throw new SerializationException("a " + type.getSimpleName() + " is a JSON object");
    }
    JsonNode field = value.get(Schema.VERSION_FIELD);
    int version;
    if (field == null) {
      version = 1; // written before values carried a version
    } else if (field.isIntegralNumber() && field.canConvertToInt()) {
      version = field.intValue();
    } else {
      throw new SerializationException(Schema.VERSION_FIELD + " is not a whole number: " + field);
    }
    if (version < 1 || version > schema.current()) {
      throw new SerializationException("unknown " + Schema.VERSION_FIELD + " " + version + " of "
          + type.getSimpleName() + "; this reader knows versions 1 to " + schema.current());
    }
    schema.upcast(value, version);
    return value;
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
