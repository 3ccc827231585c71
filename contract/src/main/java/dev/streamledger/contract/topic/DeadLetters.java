package dev.streamledger.contract.topic;

import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the record that parks an unprocessable input on {@link Topics#DEAD_LETTERS}: the
 * original key and value byte for byte, plus headers saying why and where it came from, so
 * nothing is lost and the partition it came from keeps flowing.
 *
 * <p>Each one is counted: {@value #COUNTER}, tagged with the processor and the source topic (on
 * Micrometer's global registry, to which Spring Boot binds each service's registries).
 */
public final class DeadLetters {

  public static final String COUNTER = "streamledger.dead-letters";

  private DeadLetters() {}

  public static Record<byte[], byte[]> of(Record<byte[], byte[]> input, RecordMetadata origin,
      String processor, String reason) {
    Metrics.counter(COUNTER, "processor", processor, "topic", origin == null ? "unknown" : origin.topic()).increment();
    RecordHeaders headers = new RecordHeaders(input.headers().toArray());
    headers.add(Headers.DLT_REASON, Headers.utf8(reason));
    headers.add(Headers.DLT_PROCESSOR, Headers.utf8(processor));
    if (origin != null) {
      headers.add(Headers.DLT_SOURCE_TOPIC, Headers.utf8(origin.topic()));
      headers.add(Headers.DLT_SOURCE_PARTITION, Headers.utf8(Integer.toString(origin.partition())));
      headers.add(Headers.DLT_SOURCE_OFFSET, Headers.utf8(Long.toString(origin.offset())));
    }
    return new Record<>(input.key(), input.value(), input.timestamp(), headers);
  }
}
