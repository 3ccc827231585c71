package dev.streamledger.contract.json;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;

/**
 * JSON serde for one value type (usually a sealed hierarchy with stable type names).
 * Bad bytes raise {@link SerializationException}, never anything else, so callers have one
 * thing to route to the dead-letter topic.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final Class<T> type;

  public JsonSerde(Class<T> type) {
    this.type = type;
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      return Json.MAPPER.writeValueAsBytes(data);
    } catch (JacksonException e) {
      throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON", e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      T value = Json.MAPPER.readValue(data, type);
      if (value == null) {
        throw new SerializationException("JSON null is not a " + type.getSimpleName());
      }
      return value;
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      // records validate in their constructors (IllegalArgumentException / NPE)
      throw new SerializationException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
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
