package dev.streamledger.query.store;

import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.query.system.QuerySettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

/**
 * Interactive queries, on whichever instance holds the key.
 *
 * <p>Each read names the key it is about and the topic that feeds the view, whose partitioner
 * decides the key's partition. If another instance is the active owner of that partition, this
 * throws {@link OwnedElsewhereException} and the request is forwarded there ({@link Forwarding}).
 * A request forwarded to a standby (because the owner did not answer) is served from this
 * instance's standby copy, and the answer says how far behind it may be ({@link ServedRequest}).
 * While Streams is not {@code RUNNING} (starting, rebalancing, restoring) a store may be missing
 * or incomplete, so instead of answering from it — and perhaps saying {@code 404} for a key that
 * exists — this throws {@link ViewNotReadyException}, which becomes {@code 503} with
 * {@code Retry-After}.
 *
 * <p>Not Spring for Apache Kafka's {@code KafkaStreamsInteractiveQueryService}: a key's owner is
 * found with the partitioner of the topic that feeds the view (request ids partition by their
 * key id), a standby copy may answer, and every answer names the view's position.
 */
@Component
public class ViewStores {

  private final ManagedKafkaStreams streams;
  private final HostInfo self;
  private final ViewPositions positions;

  public ViewStores(ManagedKafkaStreams streams, QuerySettings settings, ViewPositions positions) {
    this.streams = streams;
    this.self = settings.self();
    this.positions = positions;
  }

  /** The value of {@code key} in {@code store}, a view fed by {@code source} and keyed like it. */
  public <V> V get(String store, Topic<String, ?> source, String key) {
    return get(store, source, key, key);
  }

  /** The value of {@code storeKey} in {@code store}, in the partition of {@code key} of {@code source}. */
  public <V> V get(String store, Topic<String, ?> source, String key, String storeKey) {
    try {
      return this.<V>view(store, source, key).get(storeKey);
    } catch (InvalidStateStoreException e) {
      // the partition moved between the metadata lookup and the read (found only when reading)
      throw new ViewNotReadyException("the read view is moving between instances: " + e.getMessage());
    }
  }

  /**
   * The values from {@code from} to {@code to} (both inclusive), in key order, at most
   * {@code limit}, all in the partition of {@code key} of {@code source}.
   */
  public <V> List<V> range(String store, Topic<String, ?> source, String key, String from, String to, int limit) {
    List<V> values = new ArrayList<>();
    try (KeyValueIterator<String, V> range = this.<V>view(store, source, key).range(from, to)) {
      while (range.hasNext() && values.size() < limit) {
        values.add(range.next().value);
      }
    } catch (InvalidStateStoreException e) {
      throw new ViewNotReadyException("the read view is moving between instances: " + e.getMessage());
    }
    return values;
  }

  private <V> ReadOnlyKeyValueStore<String, V> view(String store, Topic<String, ?> source, String key) {
    KafkaStreams running = running();
    KeyQueryMetadata owner = running.queryMetadataForKey(store, key, source.streamPartitioner());
    if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
      throw new ViewNotReadyException("no instance holds the view of '" + key + "' right now");
    }
    boolean active = owner.activeHost().equals(self);
    boolean standby = !active && owner.standbyHosts().contains(self) && ServedRequest.standbyMayAnswer();
    if (!active && !standby) {
      throw new OwnedElsewhereException(owner);
    }
    try {
      var parameters = StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
          .withPartition(owner.partition());
      if (standby) {
        parameters = parameters.enableStaleStores();
        LagInfo lag = running.allLocalStorePartitionLags().getOrDefault(store, Map.of()).get(owner.partition());
        ServedRequest.answerSays(ServedRequest.STANDBY_LAG, lag == null ? "unknown" : Long.toString(lag.offsetLag()));
      } else {
        int partition = owner.partition();
        positions.of(source.name(), partition).ifPresent(offset ->
            ServedRequest.answerSays(ServedRequest.POSITION, source.name() + ":" + partition + ":" + offset));
      }
      return running.store(parameters);
    } catch (InvalidStateStoreException e) {
      throw new ViewNotReadyException("the read view is moving between instances: " + e.getMessage());
    }
  }

  /** The partition count of every topic a view is fed by (the deployment's keyed topics). */
  public int partitions() {
    return streams.partitions();
  }

  /** The partitions of {@code source} whose views this instance is the active owner of. */
  public Set<Integer> localPartitions(Topic<String, ?> source) {
    Set<Integer> partitions = new TreeSet<>();
    running().metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
        task.topicPartitions().stream().filter(p -> p.topic().equals(source.name()))
            .forEach(p -> partitions.add(p.partition()))));
    return partitions;
  }

  /**
   * Feeds every value of {@code store} in one partition of {@code source}, which this instance
   * must be the active owner of, to {@code each}. The values are read with one iterator of the
   * store, which sees the store as it was when the iterator opened (a RocksDB iterator reads a
   * point-in-time snapshot, and these stores have no cache in front): the values are the view
   * after some prefix of the partition's records, not a mix of before and after.
   */
  public <V> void forEachIn(String store, Topic<String, ?> source, int partition, BiConsumer<String, V> each) {
    if (!localPartitions(source).contains(partition)) {
      throw new ViewNotReadyException("partition " + partition + " of " + source.name() + " is not held here (any more)");
    }
    try (KeyValueIterator<String, V> all = running().store(StoreQueryParameters
        .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition)).all()) {
      all.forEachRemaining(entry -> each.accept(entry.key, entry.value));
    } catch (InvalidStateStoreException e) {
      throw new ViewNotReadyException("the read view is moving between instances: " + e.getMessage());
    }
  }

  /** For each partition of {@code source}: the instance that is its views' active owner now. */
  public Map<Integer, HostInfo> activeOwners(String store, Topic<String, ?> source) {
    Map<Integer, HostInfo> owners = new TreeMap<>();
    running().streamsMetadataForStore(store).forEach(instance -> instance.topicPartitions().stream()
        .filter(p -> p.topic().equals(source.name())).forEach(p -> owners.put(p.partition(), instance.hostInfo())));
    return owners;
  }

  /** Whether {@code instance} is this one. */
  public boolean isSelf(HostInfo instance) {
    return self.equals(instance);
  }

  /** The other instances of this query service, as the group knows them now. */
  public Set<HostInfo> otherInstances() {
    KafkaStreams running = running();
    Set<HostInfo> others = new HashSet<>();
    running.metadataForAllStreamsClients().forEach(client -> others.add(client.hostInfo()));
    others.remove(self);
    return others;
  }

  /** The Streams instance, if it is {@code RUNNING}: before that its stores may be missing or partial. */
  KafkaStreams running() {
    KafkaStreams running = streams.streams();
    if (running == null || running.state() != KafkaStreams.State.RUNNING) {
      throw new ViewNotReadyException("the read views are " + streams.state().name().toLowerCase().replace('_', ' '));
    }
    return running;
  }

}
