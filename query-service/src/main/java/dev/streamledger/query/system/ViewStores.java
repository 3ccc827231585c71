package dev.streamledger.query.system;

import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

/**
 * Interactive queries on this instance's stores. While Streams is not {@code RUNNING}
 * (starting, rebalancing, restoring) a store may be missing or incomplete, so instead of
 * answering from it — and perhaps saying {@code 404} for a key that exists — this throws
 * {@link ViewNotReadyException}, which becomes {@code 503} with {@code Retry-After}.
 */
@Component
public class ViewStores {

  private final ManagedKafkaStreams streams;

  public ViewStores(ManagedKafkaStreams streams) {
    this.streams = streams;
  }

  public <K, V> V get(String store, K key) {
    return this.<K, V>view(store).get(key);
  }

  /** The values from {@code from} to {@code to} (both inclusive), in key order, at most {@code limit}. */
  public <K, V> List<V> range(String store, K from, K to, int limit) {
    List<V> values = new ArrayList<>();
    try (KeyValueIterator<K, V> range = this.<K, V>view(store).range(from, to)) {
      while (range.hasNext() && values.size() < limit) {
        values.add(range.next().value);
      }
    } catch (InvalidStateStoreException e) {
      throw new ViewNotReadyException("the read view is moving between instances: " + e.getMessage());
    }
    return values;
  }

  private <K, V> ReadOnlyKeyValueStore<K, V> view(String store) {
    KafkaStreams running = streams.streams();
    if (running == null || running.state() != KafkaStreams.State.RUNNING) {
      throw new ViewNotReadyException("the read views are " + streams.state().name().toLowerCase().replace('_', ' '));
    }
    try {
      return running.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new ViewNotReadyException("the read view is moving between instances: " + e.getMessage());
    }
  }

  /** The view cannot answer right now; ask again shortly. */
  public static final class ViewNotReadyException extends RuntimeException {
    public ViewNotReadyException(String message) {
      super(message);
    }
  }
}
