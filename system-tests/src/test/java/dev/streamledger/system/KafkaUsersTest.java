package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.projector.ProjectorTopology;
import dev.streamledger.projector.system.Authenticity;
import dev.streamledger.projector.system.Seals;
import dev.streamledger.query.view.ReadViewTopology;
import dev.streamledger.system.support.Services;
import dev.streamledger.testsupport.Repository;
import dev.streamledger.testsupport.TestSeals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Strimzi {@code KafkaUser} ACLs in {@code k8s/base/kafka-users.yaml} are exactly what each
 * service reads and writes: every topic a topology (or the command service) reads or writes is
 * granted, and no literal topic grant is more than that. A new topic or a new sink without its
 * ACL, or a grant left behind, fails here instead of in a cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaUsersTest {

  private final Map<String, Map<String, Set<String>>> grants = new HashMap<>();

  /** The SQL copy's Connect workers (k8s/base/sql-copy.yaml), a user of the cluster but not a service. */
  private final Map<String, Set<String>> connect = new HashMap<>();

  @BeforeAll
  void readTheUsers() throws IOException {
    readUsers("k8s/base/kafka-users.yaml", grants);
    Map<String, Map<String, Set<String>>> sqlCopy = new HashMap<>();
    readUsers("k8s/base/sql-copy.yaml", sqlCopy);
    connect.putAll(sqlCopy.get("streamledger-connect"));
  }

  private static void readUsers(String file, Map<String, Map<String, Set<String>>> grants) throws IOException {
    var yaml = Files.readString(Repository.root().resolve(file));
    try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      for (JsonNode user : documents.readAll()) {
        if (!file.endsWith("kafka-users.yaml") && !user.get("kind").asString().equals("KafkaUser")) {
          continue;
        }
        assertThat(user.get("kind").asString()).isEqualTo("KafkaUser");
        assertThat(user.at("/spec/authentication/type").asString()).isEqualTo("scram-sha-512");
        Map<String, Set<String>> byTopic = new HashMap<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
          if (acl.at("/resource/type").asString().equals("topic")
              && acl.at("/resource/patternType").asString().equals("literal")) {
            Set<String> operations = byTopic.computeIfAbsent(acl.at("/resource/name").asString(), t -> new HashSet<>());
            acl.get("operations").forEach(operation -> operations.add(operation.asString()));
          }
        }
        grants.put(user.at("/metadata/name").asString(), byTopic);
      }
    }
  }

  /** It reads the events it copies and writes none of the topics a service trusts: only its dead letters. */
  @Test
  void shouldLetTheSqlCopyReadTheEventsAndWriteOnlyItsDeadLetters() {
    assertThat(uses(connect, "Read")).containsExactlyInAnyOrder(Topics.USER_EVENTS.name(),
        Topics.ACCOUNT_EVENTS.name(), Topics.TRANSFER_EVENTS.name());
    assertThat(uses(connect, "Write")).containsExactly("streamledger.sql-sink.dead-letters");
    assertThat(uses(connect, "Write")).doesNotContainAnyElementsOf(Topics.ALL.stream().map(Topic::name).toList());
  }

  @Test
  void shouldGrantTheProjectorWhatItsTopologyReadsAndWrites() {
    // the keys do not change the topology's shape; nothing is decided here
    var seals = new Seals(Arrays.stream(SealedFor.values()).collect(Collectors.toMap(reader -> reader,
        TestSeals::keysOf)), Clock.systemUTC());
    assertExactly("streamledger-projector", ProjectorTopology.build(new Authenticity(null, seals, Duration.ZERO,
        new SimpleMeterRegistry().counter("unused"))), Set.of());
  }

  @Test
  void shouldGrantTheQueryServiceWhatItsTopologyReadsAndWrites() {
    // and the dead letters, which it shows operators (GET /dead-letters)
    assertExactly("streamledger-query-service", ReadViewTopology.build(TestSeals.of(SealedFor.QUERY_SERVICE)),
        Set.of(Topics.DEAD_LETTERS.name()));
  }

  @Test
  void shouldGrantTheCommandServiceItsCommandsAndOutcomesOnly() {
    Map<String, Set<String>> command = grants.get("streamledger-command-service");
    assertThat(uses(command, "Write")).containsExactlyInAnyOrder(Topics.USER_COMMANDS.name(),
        Topics.ACCOUNT_COMMANDS.name(), Topics.IDEMPOTENT_COMMANDS.name());
    assertThat(uses(command, "Read")).containsExactly(Topics.OUTCOMES.name());
  }

  @Test
  void shouldLetEveryServiceCheckTheCommandTopicsTimestamps() {
    // every service runs the TopicProvisioner, which reads the configs it enforces
    for (Map<String, Set<String>> user : grants.values()) {
      assertThat(uses(user, "DescribeConfigs")).containsExactlyInAnyOrder(Topics.USER_COMMANDS.name(),
          Topics.ACCOUNT_COMMANDS.name(), Topics.IDEMPOTENT_COMMANDS.name());
    }
  }

  private void assertExactly(String user, Topology topology, Set<String> alsoReads) {
    Set<String> reads = new HashSet<>(alsoReads);
    Set<String> writes = new HashSet<>();
    for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
      collect(subtopology.nodes().stream(), reads, writes);
    }
    for (TopologyDescription.GlobalStore global : topology.describe().globalStores()) {
      reads.addAll(global.source().topicSet());
    }
    Set<String> declared = new HashSet<>(Topics.ALL.stream().map(Topic::name).toList());
    assertThat(declared).as("every topic a topology uses is declared").containsAll(reads).containsAll(writes);
    assertThat(uses(grants.get(user), "Read")).as("%s reads", user).containsExactlyInAnyOrderElementsOf(reads);
    assertThat(uses(grants.get(user), "Write")).as("%s writes", user).containsExactlyInAnyOrderElementsOf(writes);
  }

  private static void collect(Stream<TopologyDescription.Node> nodes, Set<String> reads, Set<String> writes) {
    nodes.forEach(node -> {
      if (node instanceof TopologyDescription.Source source) {
        reads.addAll(source.topicSet());
      } else if (node instanceof TopologyDescription.Sink sink) {
        writes.add(sink.topic());
      }
    });
  }

  private static List<String> uses(Map<String, Set<String>> user, String operation) {
    return user.entrySet().stream().filter(grant -> grant.getValue().contains(operation)).map(Map.Entry::getKey)
        .sorted().toList();
  }
}
