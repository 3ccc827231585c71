package dev.streamledger.contract.json;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.module.blackbird.BlackbirdModule;

/**
 * The one JSON mapper for records on Kafka: strict about what it reads, stable in what it writes
 * — map entries are written in key order, since {@code Map.copyOf} iterates in an order that
 * changes from one JVM to the next, and views rebuilt elsewhere must come out byte for byte the
 * same (their digests are compared). Records are created through a prepared method handle
 * ({@link RecordCreators}), and their components read through accessors Jackson's Blackbird
 * module generates, not by reflection (6 points of the projector's samples, docs/performance.md,
 * change 11); instants are read and written without java.time's formatter ({@link IsoInstants},
 * change 12). None of them changes what is read or written.
 *
 * <p>Each thread keeps its own parsing and writing buffers (Jackson 3's default pool hands them
 * out through a concurrent deque, 2.5 % of the query service's samples, change 13): every
 * thread that reads or writes records here is a platform thread (Kafka's clients and Streams,
 * Tomcat's pool; no service runs on virtual threads — one that did should go back to Jackson's
 * default pool).
 */
public final class Json {

  public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .addModule(new RecordCreators())
      .addModule(new BlackbirdModule())
      .addModule(new IsoInstants())
      .build();

  private Json() {}
}
