package dev.streamledger.contract.topic;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.outcome.OutcomeCode;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.security.Credential;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.SealedFor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the AsyncAPI 3 document of every topic from {@link Topics} and the value types' records:
 * channel per topic (address, partitions, retention), one message per value type (its JSON
 * schema, with the {@code schemaVersion} its serde writes), key and headers, and who writes and
 * who reads. {@code docs/api/asyncapi.yaml} is its output; {@link AsyncApiDocumentTest} keeps the
 * two equal.
 */
final class AsyncApiDocument {

  /** Who writes and who reads each topic. */
  private record Parties(String key, List<String> writers, List<String> readers, Map<String, String> headers) {}

  private static final Map<String, String> COMMAND_HEADERS = ordered(
      Headers.REQUEST_ID, "The command's request id, also in the value (optional; for tools).",
      Headers.CORRELATION_ID, "Optional, at most 200 bytes: copied onto the command's outcome and the records of its later stages.",
      Headers.SEAL, "Only on commands the projector writes itself (later stages, keyed commands passed on): 8 bytes of "
          + "sealing time and an HMAC-SHA256 with the projector's secret. Clients prove themselves by `credential` instead.",
      Headers.ATTEMPT, "Optional, on a command whose request id was made from an Idempotency-Key: names this sending "
          + "of the request (a well-formed id), so that the answer to a retry made while the first is still being "
          + "decided (idempotency-key-in-use) is published under `<request id>/<attempt>` and reaches only it.");
  private static final Map<String, String> RESULT_HEADERS = ordered(
      Headers.CORRELATION_ID, "The correlation id of the command this record results from, if it had one.");

  private static final Map<Topic<?, ?>, Parties> PARTIES = Map.of(
      Topics.USER_COMMANDS, new Parties("canonical username (RFC 8265 UsernameCaseMapped), UTF-8",
          List.of("command-service", "kafka-clients", "projector"), List.of("projector"), COMMAND_HEADERS),
      Topics.USER_EVENTS, new Parties("canonical username, UTF-8", List.of("projector"), List.of("query-service"),
          sealed(Topics.USER_EVENTS, RESULT_HEADERS)),
      Topics.ACCOUNT_COMMANDS, new Parties("account id (a lower-case UUID), UTF-8",
          List.of("command-service", "kafka-clients", "projector"), List.of("projector"), COMMAND_HEADERS),
      Topics.ACCOUNT_EVENTS, new Parties("account id, UTF-8", List.of("projector"), List.of("query-service"),
          sealed(Topics.ACCOUNT_EVENTS, RESULT_HEADERS)),
      Topics.ACCOUNT_DIRECTORY, new Parties("account id, UTF-8", List.of("projector"), List.of("projector"),
          sealed(Topics.ACCOUNT_DIRECTORY, Map.of())),
      Topics.TRANSFER_EVENTS, new Parties("transfer id, UTF-8", List.of("projector"), List.of("query-service"),
          sealed(Topics.TRANSFER_EVENTS, RESULT_HEADERS)),
      Topics.IDEMPOTENT_COMMANDS, new Parties("request id `<key id>.<fingerprint>`; partitioned by murmur2 of the key "
          + "id alone", List.of("command-service"), List.of("projector"), COMMAND_HEADERS),
      Topics.OUTCOMES, new Parties("request id (an answer meant for one attempt: `<request id>/<attempt>`); "
          + "partitioned by murmur2 of its key id when it has one, else of the whole id",
          List.of("projector"), List.of("command-service", "query-service", "projector", "kafka-clients"),
          sealed(Topics.OUTCOMES, RESULT_HEADERS)),
      Topics.DEAD_LETTERS, new Parties("the original record's key, byte for byte", List.of("projector", "query-service"),
          List.of("operators"), ordered(
              Headers.DLT_REASON, "Why the record could not be processed.",
              Headers.DLT_PROCESSOR, "The processor that parked it.",
              Headers.DLT_SOURCE_TOPIC, "Where it came from: topic,",
              Headers.DLT_SOURCE_PARTITION, "partition,",
              Headers.DLT_SOURCE_OFFSET, "and offset. The original record's headers are kept too.")));

  private static final String DESCRIPTION = """
      The Kafka topics of Streamledger: a public API beside the REST one. Kafka producers may write \
      the commands marked as written by `kafka-clients` and read their answers on the outcomes topic.

      **Envelope.** Every value is a UTF-8 JSON object whose first field is `schemaVersion` (the \
      shape of its `type`; readers upcast older versions and dead-letter newer ones) and whose \
      `type` names the message. Commands carry a `requestId` (a new UUID per request), and `times`: \
      `receivedAt` (when the writer took the request) and optionally the client's \
      `clientCreatedAt` / `clientSentAt`, from which events get `occurredAt`, corrected for the \
      client's clock offset. Money is a decimal string.

      **Keys.** A command's key is the aggregate it is about (canonical username, account id) \
      and must equal that field of the value; the default partitioner (murmur2) places it.

      **Answers.** Every command gets exactly one outcome, keyed by its request id, written in the \
      same transaction as its events (read `read_committed`). Start reading the outcomes topic before \
      sending.

      **Bad records.** A record that cannot be processed — not JSON, an unknown schema version, a \
      missing or wrong key, no value, a key over 1 KiB or a value over 64 KiB, a command that makes \
      no sense — is copied to the dead-letter topic with the reason, and its partition moves on.
      """;

  private final Map<String, Object> schemas = new LinkedHashMap<>();
  private final Map<String, Object> messages = new LinkedHashMap<>();

  static Map<String, Object> build() {
    return new AsyncApiDocument().document();
  }

  private Map<String, Object> document() {
    Map<String, Object> channels = new LinkedHashMap<>();
    Map<String, Object> operations = new LinkedHashMap<>();
    schemas.put("Times", objectSchema(RequestTimes.class, "The request's three timestamps (RFC 3339)."));
    for (Topic<?, ?> topic : Topics.ALL) {
      String id = channelId(topic);
      Parties parties = PARTIES.get(topic);
      Map<String, Object> channelMessages = new LinkedHashMap<>();
      for (String message : messagesOf(topic, parties)) {
        channelMessages.put(message, ref("#/components/messages/" + message));
      }
      Map<String, Object> topicConfiguration = new LinkedHashMap<>();
      topicConfiguration.put("cleanup.policy", List.of(topic.configs().getOrDefault("cleanup.policy", "delete")));
      if (topic.configs().containsKey("retention.ms")) {
        topicConfiguration.put("retention.ms", Long.parseLong(topic.configs().get("retention.ms")));
      }
      channels.put(id, ordered(
          "address", topic.name(),
          "description", topic.description(),
          "messages", channelMessages,
          "bindings", Map.of("kafka", ordered(
              "topic", topic.name(),
              "partitions", topic.partitions(KafkaSettings.DEFAULT_PARTITIONS),
              "topicConfiguration", topicConfiguration,
              "bindingVersion", "0.5.0"))));
      for (String writer : parties.writers()) {
        operations.put(writer + "-writes-" + id, ordered("action", "send", "channel", ref("#/channels/" + id),
            "summary", writer + " writes " + topic.name()));
      }
      for (String reader : parties.readers()) {
        operations.put(reader + "-reads-" + id, ordered("action", "receive", "channel", ref("#/channels/" + id),
            "summary", reader + " reads " + topic.name()));
      }
    }
    return ordered(
        "asyncapi", "3.0.0",
        "info", ordered("title", "Streamledger topics", "version", "v1", "description", DESCRIPTION),
        "defaultContentType", "application/json",
        "servers", Map.of("local", ordered("host", "127.0.0.1:9092", "protocol", "kafka",
            "description", "The broker bin/local-stack starts.")),
        "channels", channels,
        "operations", operations,
        "components", ordered("messages", messages, "schemas", schemas));
  }

  private List<String> messagesOf(Topic<?, ?> topic, Parties parties) {
    List<String> names = new ArrayList<>();
    Map<String, Object> key = ordered("type", "string", "description", parties.key());
    Map<String, Object> headers = headerSchema(parties.headers());
    if (!(topic.valueSerde() instanceof JsonSerde<?> serde)) {
      names.add("DeadLetter");
      messages.put("DeadLetter", message("DeadLetter", "The original record's value, byte for byte.",
          ordered("type", "string", "format", "binary"), key, headers, "application/octet-stream"));
      return names;
    }
    Class<?> type = serde.type();
    JsonSubTypes subtypes = type.getAnnotation(JsonSubTypes.class);
    List<Map.Entry<String, Class<?>>> variants = new ArrayList<>();
    if (subtypes == null) {
      variants.add(Map.entry(type.getSimpleName(), type));
    } else {
      for (JsonSubTypes.Type subtype : subtypes.value()) {
        variants.add(Map.entry(subtype.name(), subtype.value()));
      }
    }
    for (var variant : variants) {
      String name = variant.getKey();
      define(variant.getValue(), subtypes == null ? null : name);
      Map<String, Object> payload = ordered("allOf", List.of(
          ordered("type", "object", "required", List.of("schemaVersion"),
              "properties", Map.of("schemaVersion", ordered("type", "integer", "const", serde.schema().current(),
                  "description", "The schema version this value is written in (absent: 1)."))),
          ref("#/components/schemas/" + name)));
      messages.put(name, message(name, documentation(variant.getValue()), payload, key, headers, null));
      names.add(name);
    }
    return names;
  }

  private static Map<String, Object> message(String name, String summary, Object payload, Object key, Object headers,
      String contentType) {
    Map<String, Object> message = ordered("name", name, "title", name, "summary", summary);
    if (contentType != null) {
      message.put("contentType", contentType);
    }
    if (headers != null) {
      message.put("headers", headers);
    }
    message.put("payload", payload);
    message.put("bindings", Map.of("kafka", ordered("key", key, "bindingVersion", "0.5.0")));
    return message;
  }

  private static Map<String, Object> headerSchema(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return null;
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    headers.forEach((name, description) -> properties.put(name, ordered("type", "string", "description", description)));
    return ordered("type", "object", "properties", properties);
  }

  /** Defines the schema of {@code type} (and of records it holds) under its name. */
  private void define(Class<?> type, String typeName) {
    String name = typeName != null ? typeName : type.getSimpleName();
    if (schemas.containsKey(name)) {
      return;
    }
    Map<String, Object> schema = objectSchema(type, documentation(type));
    if (typeName != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
      Map<String, Object> withType = new LinkedHashMap<>();
      withType.put("type", ordered("type", "string", "const", typeName));
      withType.putAll(properties);
      schema.put("properties", withType);
      schema.put("required", List.of("type"));
    }
    schemas.put(name, schema);
  }

  private Map<String, Object> objectSchema(Class<?> type, String description) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      properties.put(component.getName(), schemaOf(component.getGenericType()));
    }
    return ordered("type", "object", "description", description, "properties", properties);
  }

  private Object schemaOf(Type type) {
    if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
      return ordered("type", "object", "additionalProperties", schemaOf(map.getActualTypeArguments()[1]));
    }
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      return ordered("type", "array", "items", schemaOf(list.getActualTypeArguments()[0]));
    }
    Class<?> raw = (Class<?>) type;
    if (raw == String.class) {
      return Map.of("type", "string");
    }
    if (raw == long.class || raw == int.class) {
      return Map.of("type", "integer");
    }
    if (raw == boolean.class) {
      return Map.of("type", "boolean");
    }
    if (raw == Instant.class) {
      return ordered("type", "string", "format", "date-time");
    }
    if (raw == RequestTimes.class) {
      return ref("#/components/schemas/Times");
    }
    if (raw == Credential.class) {
      return ordered("type", "string", "description", "The sender's bearer token (a JWT, compact form): the "
          + "projector verifies its signature, and that it was valid when the broker appended the command.");
    }
    if (raw == OutcomeCode.class) {
      return ordered("type", "string", "enum", OutcomeCode.all().map(OutcomeCode::wireName).toList());
    }
    if (raw == OutcomeData.class) {
      // written as a JSON object of strings since the first outcome (see OutcomeData)
      return ordered("type", "object", "additionalProperties", Map.of("type", "string"));
    }
    if (raw.isEnum()) {
      return ordered("type", "string", "enum", Arrays.stream(raw.getEnumConstants()).map(Object::toString).toList());
    }
    if (raw.isRecord()) {
      define(raw, null);
      return ref("#/components/schemas/" + raw.getSimpleName());
    }
    JsonSubTypes subtypes = raw.getAnnotation(JsonSubTypes.class);
    if (subtypes != null) {
      List<Object> oneOf = new ArrayList<>();
      for (JsonSubTypes.Type subtype : subtypes.value()) {
        define(subtype.value(), subtype.name());
        oneOf.add(ref("#/components/schemas/" + subtype.name()));
      }
      return Map.of("oneOf", oneOf);
    }
    throw new IllegalStateException("no JSON schema for " + type + "; teach AsyncApiDocument");
  }

  private static String documentation(Class<?> type) {
    return type.getSimpleName() + " (" + type.getName().replace('$', '.') + ")";
  }

  static String channelId(Topic<?, ?> topic) {
    return topic.name().replace("streamledger.", "").replaceAll("\\.v\\d+$", "");
  }

  private static Map<String, Object> ref(String target) {
    return Map.of("$ref", target);
  }

  /** {@code headers}, and the seal of each service that acts on {@code topic} ({@link SealedFor#readersOf}). */
  private static Map<String, String> sealed(Topic<?, ?> topic, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    for (SealedFor reader : SealedFor.readersOf(topic)) {
      String service = "the " + reader.name().toLowerCase(Locale.ROOT).replace('_', ' ');
      boolean own = reader == SealedFor.PROJECTOR;
      all.put(reader.header(), "The projector's seal for " + (own ? "itself" : service) + ": 8 bytes of sealing time "
          + "and an HMAC-SHA256 over topic, key, that time and value, with a secret only "
          + (own ? "the projector's instances hold" : "the projector and " + service + " hold")
          + ". That service acts on no record without it (docs/security.md); other readers cannot check it.");
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> ordered(Object... keysAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return map;
  }
}
