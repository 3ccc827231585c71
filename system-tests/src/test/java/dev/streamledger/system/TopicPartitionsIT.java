package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.runtime.TopicProvisioner;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.testsupport.SharedKafka;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partition count of the keyed topics is a deployment's choice, made when it creates them
 * ({@code streamledger.kafka.partitions}), and kept afterwards: a key's partition follows from
 * the count, and the state kept for a key lives with its partition. Topics declared like
 * {@code Topics}' own, under names of this test's, on the shared broker.
 */
class TopicPartitionsIT {

  private static Admin admin;

  @BeforeAll
  static void connect() {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()));
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  @Test
  void shouldCreateTheKeyedTopicsWithTheDeploymentsCountAndKeepItAfterwards() throws Exception {
    String run = unique("partitions");
    Topic<String, String> commands = keyed(run + ".commands");
    Topic<String, String> events = keyed(run + ".events");
    Topic<String, String> deadLetters = fixed(run + ".dead-letters", 1);

    int created = TopicProvisioner.ensure(admin, List.of(commands, events, deadLetters), (short) 1, 1, 3);

    assertThat(created).isEqualTo(3);
    assertThat(partitionsOf(commands, events, deadLetters))
        .containsExactly(Map.entry(commands.name(), 3), Map.entry(events.name(), 3), Map.entry(deadLetters.name(), 1));

    // started again with another setting: the keyed topics keep the count they were created with,
    // and a keyed topic added later gets that count too, not the new setting
    Topic<String, String> added = keyed(run + ".added");
    int kept = TopicProvisioner.ensure(admin, List.of(commands, events, added), (short) 1, 1, 5);

    assertThat(kept).isEqualTo(3);
    assertThat(partitionsOf(commands, events, added)).containsValues(3, 3, 3).doesNotContainValue(5);
  }

  @Test
  void shouldRefuseKeyedTopicsWhosePartitionCountsDiffer() throws Exception {
    String run = unique("partitions");
    Topic<String, String> commands = keyed(run + ".commands");
    Topic<String, String> events = keyed(run + ".events");
    admin.createTopics(List.of(new NewTopic(commands.name(), 2, (short) 1), new NewTopic(events.name(), 4, (short) 1)))
        .all().get();

    assertThatThrownBy(() -> TopicProvisioner.ensure(admin, List.of(commands, events), (short) 1, 1, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("same partition count")
        .hasMessageContaining(commands.name() + "=2")
        .hasMessageContaining(events.name() + "=4");
  }

  private static Topic<String, String> keyed(String name) {
    return fixed(name, Topic.AS_DEPLOYED);
  }

  private static Topic<String, String> fixed(String name, int partitions) {
    return new Topic<>(name, Serdes.String(), Serdes.String(), partitions, Map.of(), "a topic of " + name);
  }

  private static Map<String, Integer> partitionsOf(Topic<?, ?>... topics) throws ExecutionException, InterruptedException {
    var described = admin.describeTopics(Arrays.stream(topics).map(Topic::name).toList()).allTopicNames().get();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Topic<?, ?> topic : topics) {
      counts.put(topic.name(), described.get(topic.name()).partitions().size());
    }
    return counts;
  }
}
