package dev.streamledger.contract.topic;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the declared topics that do not exist yet. Safe to run from every service at every
 * start, concurrently: a topic created by someone else in between counts as success. An
 * existing topic with fewer partitions than declared is an error, because keys would then
 * be routed differently than the code assumes.
 */
public final class TopicProvisioner {

  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  public static void ensure(String bootstrapServers, short replicationFactor, int minInsyncReplicas) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      ensure(admin, Topics.ALL, replicationFactor, minInsyncReplicas);
    }
  }

  public static void ensure(Admin admin, Collection<Topic<?, ?>> topics, short replicationFactor,
      int minInsyncReplicas) {
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = topics.stream()
          .filter(t -> !existing.contains(t.name()))
          .map(t -> newTopic(t, replicationFactor, minInsyncReplicas))
          .toList();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get();
          log.info("created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      Map<String, TopicDescription> described =
          admin.describeTopics(topics.stream().map(Topic::name).toList()).allTopicNames().get();
      for (Topic<?, ?> topic : topics) {
        int actual = described.get(topic.name()).partitions().size();
        if (actual < topic.partitions()) {
          throw new IllegalStateException("topic " + topic.name() + " has " + actual
              + " partitions, " + topic.partitions() + " are declared");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topics: " + e.getCause().getMessage(), e.getCause());
    }
  }

  static NewTopic newTopic(Topic<?, ?> topic, short replicationFactor, int minInsyncReplicas) {
    Map<String, String> configs = new HashMap<>(topic.configs());
    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    return new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(configs);
  }
}
