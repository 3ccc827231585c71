package dev.streamledger.query.store;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * How far the views of this instance have read each source partition: the offset of the last
 * record folded (or skipped) per topic and partition. A view read after looking here includes at
 * least every record up to that offset. Kept in memory: after a restart a partition has no
 * position until its first record.
 */
public final class ViewPositions {

  private static final int MAX_PARTITIONS = 1024;

  private final ConcurrentHashMap<String, AtomicLongArray> processed = new ConcurrentHashMap<>();
  private final LongAdder read = new LongAdder();

  public void processed(String topic, int partition, long offset) {
    read.increment();
    if (partition < MAX_PARTITIONS) {
      processed.computeIfAbsent(topic, t -> empty()).accumulateAndGet(partition, offset, Math::max);
    }
  }

  /** How many records the views of this instance have read since it started. */
  public long recordsRead() {
    return read.sum();
  }

  /** The offset of the last record of {@code topic}'s {@code partition} the views folded here, if any. */
  public OptionalLong of(String topic, int partition) {
    AtomicLongArray offsets = processed.get(topic);
    long offset = offsets == null || partition >= MAX_PARTITIONS ? -1 : offsets.get(partition);
    return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  private static AtomicLongArray empty() {
    AtomicLongArray offsets = new AtomicLongArray(MAX_PARTITIONS);
    for (int i = 0; i < MAX_PARTITIONS; i++) {
      offsets.set(i, -1);
    }
    return offsets;
  }
}
