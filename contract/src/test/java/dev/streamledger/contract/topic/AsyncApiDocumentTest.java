package dev.streamledger.contract.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.json.JsonSerde;
import dev.streamledger.contract.runtime.KafkaSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The AsyncAPI document ({@code docs/api/asyncapi.yaml}) and the topics declared in the code
 * cannot drift: every topic is a channel with its name, partitions and retention, and every
 * message of it carries the schema version its serde writes; the whole document is what
 * {@link AsyncApiDocument} builds from the code. After changing a topic or a value type,
 * regenerate it with {@code ./mvnw test -pl contract -Dtest=AsyncApiDocumentTest -Dapi-docs.update=true}.
 */
class AsyncApiDocumentTest {

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.LITERAL_BLOCK_STYLE)
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER, YAMLWriteFeature.SPLIT_LINES)
      .build();

  @Test
  void shouldBeWhatTheCodeDeclares() throws IOException {
    Path file = repositoryRoot().resolve("docs/api/asyncapi.yaml");
    String generated = YAML.writeValueAsString(AsyncApiDocument.build());
    if (Boolean.getBoolean("api-docs.update")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertThat(file).exists();
    String committed = Files.readString(file, StandardCharsets.UTF_8);

    JsonNode document = YAML.readTree(committed);
    assertThat(document.get("asyncapi").asString()).isEqualTo("3.0.0");
    assertThat(document.get("channels").properties()).hasSize(Topics.ALL.size());
    for (Topic<?, ?> topic : Topics.ALL) {
      JsonNode channel = document.get("channels").get(AsyncApiDocument.channelId(topic));
      assertThat(channel).as(topic.name()).isNotNull();
      assertThat(channel.get("address").asString()).isEqualTo(topic.name());
      assertThat(channel.at("/bindings/kafka/partitions").asInt()).as(topic.name()).isEqualTo(topic.partitions(KafkaSettings.DEFAULT_PARTITIONS));
      if (topic.configs().containsKey("retention.ms")) {
        assertThat(channel.at("/bindings/kafka/topicConfiguration/retention.ms").asLong())
            .isEqualTo(Long.parseLong(topic.configs().get("retention.ms")));
      }
      if (topic.valueSerde() instanceof JsonSerde<?> serde) {
        channel.get("messages").properties().forEach(message -> {
          JsonNode payload = document.at("/components/messages/" + message.getKey() + "/payload");
          assertThat(payload.at("/allOf/0/properties/schemaVersion/const").asInt()).as(message.getKey())
              .isEqualTo(serde.schema().current());
        });
      }
    }
    assertThat(committed).as("docs/api/asyncapi.yaml is what the code declares (see this test's javadoc to update it)")
        .isEqualTo(generated);
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    assertThat(dir).isNotNull();
    return dir;
  }
}
