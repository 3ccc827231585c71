package dev.streamledger.query.system;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.query.view.ViewPositions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Interactive queries, on whichever instance holds the key.
 *
 * <p>Each read names the key it is about and the topic that feeds the view, whose partitioner
 * decides the key's partition. If another instance is the active owner of that partition, this
 * throws {@link OwnedElsewhereException} and the request is forwarded there ({@link Forwarding}).
 * A request forwarded to a standby (because the owner did not answer) is served from this
 * instance's standby copy, and the answer says how far behind it may be ({@value #STANDBY_LAG}).
 * While Streams is not {@code RUNNING} (starting, rebalancing, restoring) a store may be missing
 * or incomplete, so instead of answering from it — and perhaps saying {@code 404} for a key that
 * exists — this throws {@link ViewNotReadyException}, which becomes {@code 503} with
 * {@code Retry-After}.
 */
@Component
public class ViewStores {

  /** On an answer from a standby copy: how many changelog records it was behind when read. */
  public static final String STANDBY_LAG = "Streamledger-Standby-Lag";
  /**
   * On an answer from an active view: {@code <topic>:<partition>:<offset>}, the source partition
   * of the key and the offset up to which, at least, the view had folded it in when read.
   */
  public static final String POSITION = "Streamledger-Position";
  /** On a forwarded request: a standby copy may answer it. */
  public static final String READ_STANDBY = "Streamledger-Read-Standby";

  /** How long {@link #caughtUp()} looks at what lies after a task's committed offsets. */
  private static final Duration PEEK = Duration.ofSeconds(5);

  private final ManagedKafkaStreams streams;
  private final HostInfo self;
  private final ViewPositions positions;
  private final KafkaSettings kafka;

  public ViewStores(ManagedKafkaStreams streams, QuerySettings settings, ViewPositions positions, KafkaSettings kafka) {
    this.streams = streams;
    this.kafka = kafka;
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
    boolean standby = !active && owner.standbyHosts().contains(self) && standbyRequested();
    if (!active && !standby) {
      throw new OwnedElsewhereException(owner);
    }
    try {
      var parameters = StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
          .withPartition(owner.partition());
      if (standby) {
        parameters = parameters.enableStaleStores();
        answerFromStandby(running, store, owner.partition());
      } else {
        int partition = owner.partition();
        positions.of(source.name(), partition).ifPresent(offset ->
            setHeader(POSITION, source.name() + ":" + partition + ":" + offset));
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

  /**
   * Whether every partition this instance actively holds has been read to its end: every input
   * partition the group assigned it belongs to a task that is running (not still being set up or
   * restored), and that task's committed offset has reached the end offset its consumer last saw —
   * or a consumer finds nothing readable between them. That last check matters at rest: a task
   * learns a partition's end only from records it fetched (an empty partition's end stays unknown),
   * and the topics are written in transactions, so a partition may end with a commit marker that is
   * never a record to process.
   */
  public boolean caughtUp() {
    KafkaStreams running = running();
    Set<TopicPartition> assigned = new HashSet<>();
    running.metadataForAllStreamsClients().stream().filter(client -> client.hostInfo().equals(self))
        .forEach(client -> assigned.addAll(client.topicPartitions()));
    Set<TopicPartition> held = new HashSet<>();
    Map<TopicPartition, Long> behind = new HashMap<>();
    for (var thread : running.metadataForLocalThreads()) {
      for (var task : thread.activeTasks()) {
        held.addAll(task.topicPartitions());
        for (TopicPartition partition : task.topicPartitions()) {
          // -1: not known; Streams learns a partition's end only from records it fetched, so an empty one stays unknown
          long end = task.endOffsets().getOrDefault(partition, -1L);
          long committed = task.committedOffsets().getOrDefault(partition, -1L);
          if (end < 0 || committed < end) {
            behind.put(partition, Math.max(committed, 0));
          }
        }
      }
    }
    return held.containsAll(assigned) && nothingToReadAfter(behind);
  }

  /** Whether no record a read-committed consumer would see lies at or after each partition's offset. */
  private boolean nothingToReadAfter(Map<TopicPartition, Long> offsets) {
    if (offsets.isEmpty()) {
      return true;
    }
    Map<String, Object> config = kafka.connection();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // an offset before the log's start reads from there
    try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(offsets.keySet());
      offsets.forEach(consumer::seek);
      Map<TopicPartition, Long> ends = consumer.endOffsets(offsets.keySet(), PEEK);
      Instant deadline = Instant.now().plus(PEEK);
      while (Instant.now().isBefore(deadline)) {
        if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
          return false;
        }
        if (ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey(), PEEK) >= end.getValue())) {
          return true; // only markers (or records of aborted transactions) lay between
        }
      }
      return false;
    }
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
  private KafkaStreams running() {
    KafkaStreams running = streams.streams();
    if (running == null || running.state() != KafkaStreams.State.RUNNING) {
      throw new ViewNotReadyException("the read views are " + streams.state().name().toLowerCase().replace('_', ' '));
    }
    return running;
  }

  private static boolean standbyRequested() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        && "true".equals(request.getRequest().getHeader(READ_STANDBY));
  }

  private static void answerFromStandby(KafkaStreams running, String store, int partition) {
    LagInfo lag = running.allLocalStorePartitionLags().getOrDefault(store, Map.of()).get(partition);
    setHeader(STANDBY_LAG, lag == null ? "unknown" : Long.toString(lag.offsetLag()));
  }

  /** Sets a header on the answer to the request being served, if this thread serves one. */
  private static void setHeader(String name, String value) {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        && request.getResponse() != null) {
      request.getResponse().setHeader(name, value);
    }
  }

  /** The view cannot answer right now; ask again shortly. */
  public static final class ViewNotReadyException extends RuntimeException {
    public ViewNotReadyException(String message) {
      super(message);
    }
  }

  /** Another instance owns the key's partition: ask it (or, if it does not answer, a standby). */
  public static final class OwnedElsewhereException extends RuntimeException {

    private final transient KeyQueryMetadata owner;

    OwnedElsewhereException(KeyQueryMetadata owner) {
      super("owned by " + owner.activeHost(), null, false, false);
      this.owner = owner;
    }

    public HostInfo active() {
      return owner.activeHost();
    }

    public Set<HostInfo> standbys() {
      return owner.standbyHosts();
    }
  }
}
