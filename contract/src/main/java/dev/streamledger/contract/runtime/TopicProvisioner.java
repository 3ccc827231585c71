package dev.streamledger.contract.runtime;

import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not Spring for Apache Kafka's {@code KafkaAdmin} with {@code NewTopic} beans, which adds
 * partitions to an existing topic that has fewer than declared: on a keyed topic that would move
 * keys away from the state kept for them. This never changes a partition count.
 *
 * <p>Creates the declared topics that do not exist yet. Safe to run from every service at every
 * start, concurrently: a topic created by someone else in between counts as success. The keyed
 * topics are created with the deployment's partition count; existing keyed topics whose counts
 * differ from each other are an error (a key must land on the same partition number in the
 * commands and the events decided from them), and an existing topic with fewer partitions than
 * its design fixes too. Existing keyed topics keep their count whatever the setting says now:
 * changing it would move keys away from the state kept for them. Of an existing topic's settings, those that
 * security rests on ({@link #ENFORCED}: a command topic's broker-set timestamps) are set as
 * declared; others (retention, say) are left as an operator may have tuned them.
 */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  /** Topic settings made to match the declaration on existing topics too. */
  static final Set<String> ENFORCED = Set.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);

  /** How long a topic just created may stay unknown to the broker asked, and how often it is asked. */
  private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DESCRIBE_RETRY = Duration.ofMillis(100);

  private TopicProvisioner() {}

  /**
   * Creates the topics and exits: the topic initialization of the docker-compose stack, run
   * from a service image before the services start. Reads the same environment variables as
   * the services: {@code KAFKA_BOOTSTRAP_SERVERS}, {@code STREAMLEDGER_KAFKA_REPLICATION_FACTOR},
   * {@code STREAMLEDGER_KAFKA_MIN_INSYNC_REPLICAS}, {@code STREAMLEDGER_KAFKA_PARTITIONS}.
   */
  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    KafkaSettings kafka = new KafkaSettings(env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        Short.parseShort(env.getOrDefault("STREAMLEDGER_KAFKA_REPLICATION_FACTOR", "1")),
        Integer.parseInt(env.getOrDefault("STREAMLEDGER_KAFKA_MIN_INSYNC_REPLICAS", "1")),
        Integer.parseInt(env.getOrDefault("STREAMLEDGER_KAFKA_PARTITIONS", "0")), Map.of());
    ensure(kafka);
    log.info("topics ready on {}: {}", kafka.bootstrapServers(), Topics.ALL.stream().map(Topic::name).toList());
  }

  /** Makes every topic exist; returns the partition count of the keyed topics. */
  public static int ensure(KafkaSettings kafka) {
    try (Admin admin = Admin.create(kafka.connection())) {
      return ensure(admin, Topics.ALL, kafka.replicationFactor(), kafka.minInsyncReplicas(), kafka.partitions());
    }
  }

  /**
   * Makes {@code topics} exist and returns the partition count of the keyed ones: {@code
   * partitions} if none existed, else the count the existing ones have (a keyed topic added
   * later gets it too).
   */
  public static int ensure(Admin admin, Collection<Topic<?, ?>> topics, short replicationFactor,
      int minInsyncReplicas, int partitions) {
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<String> existingKeyed = topics.stream()
          .filter(t -> t.asDeployed() && existing.contains(t.name())).map(Topic::name).toList();
      int deployed = existingKeyed.isEmpty() ? partitions
          : describe(admin, existingKeyed).values().iterator().next().partitions().size();
      if (deployed != partitions) {
        log.warn("the keyed topics have {} partitions, kept although {} are configured: "
            + "the count is chosen when the topics are created", deployed, partitions);
      }
      List<NewTopic> missing = topics.stream()
          .filter(t -> !existing.contains(t.name()))
          .map(t -> newTopic(t, replicationFactor, minInsyncReplicas, deployed))
          .toList();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get();
          log.info("created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicAuthorizationException) {
            // a service without the right to create (on Kubernetes the operator makes the topics)
            // that did not see the topic listed: it may be invisible to it for a moment, or
            // missing; the description below tells which
            log.warn("not allowed to create topic {}; it must be made by the platform", entry.getKey());
          } else if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      enforce(admin, topics);
      Map<String, TopicDescription> described = describe(admin, topics.stream().map(Topic::name).toList());
      Map<String, Integer> keyed = new TreeMap<>();
      for (Topic<?, ?> topic : topics) {
        int actual = described.get(topic.name()).partitions().size();
        if (topic.asDeployed()) {
          keyed.put(topic.name(), actual);
        } else if (actual < topic.fixedPartitions()) {
          throw new IllegalStateException("topic " + topic.name() + " has " + actual
              + " partitions, " + topic.fixedPartitions() + " are declared");
        }
      }
      if (new HashSet<>(keyed.values()).size() > 1) {
        throw new IllegalStateException("the keyed topics must all have the same partition count, "
            + "or keys are not decided where their state is: " + keyed);
      }
      return keyed.values().stream().findFirst().orElse(deployed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topics: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * The descriptions of {@code names}. A topic created a moment ago (here or by another service)
   * is listed before every broker knows it, so "unknown topic" is asked again for a while.
   */
  private static Map<String, TopicDescription> describe(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + DESCRIBE_TIMEOUT.toNanos();
    while (true) {
      try {
        return admin.describeTopics(names).allTopicNames().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(DESCRIBE_RETRY.toMillis());
      }
    }
  }

  private static void enforce(Admin admin, Collection<Topic<?, ?>> topics)
      throws InterruptedException, ExecutionException {
    Map<ConfigResource, Topic<?, ?>> resources = new HashMap<>();
    for (Topic<?, ?> topic : topics) {
      if (topic.configs().keySet().stream().anyMatch(ENFORCED::contains)) {
        resources.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), topic);
      }
    }
    Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
    admin.describeConfigs(resources.keySet()).all().get().forEach((resource, config) -> {
      List<AlterConfigOp> ops = new ArrayList<>();
      resources.get(resource).configs().forEach((name, value) -> {
        if (ENFORCED.contains(name) && (config.get(name) == null || !value.equals(config.get(name).value()))) {
          ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
        }
      });
      if (!ops.isEmpty()) {
        changes.put(resource, ops);
      }
    });
    if (!changes.isEmpty()) {
      admin.incrementalAlterConfigs(changes).all().get();
      changes.forEach((resource, ops) -> log.info("set {} on topic {}", ops, resource.name()));
    }
  }

  static NewTopic newTopic(Topic<?, ?> topic, short replicationFactor, int minInsyncReplicas, int partitions) {
    Map<String, String> configs = new HashMap<>(topic.configs());
    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    return new NewTopic(topic.name(), topic.partitions(partitions), replicationFactor).configs(configs);
  }
}
