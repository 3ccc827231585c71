package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import dev.streamledger.testsupport.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI documents are generated from the code by the running services; the copies in
 * {@code docs/api} (linked from the README, validated in CI by {@code bin/check-api-docs}) must
 * be what the code generates. After changing an endpoint, regenerate them with
 * {@code ./mvnw verify -pl system-tests -am -Dit.test=ApiDocsIT -Dapi-docs.update=true}.
 */
class ApiDocsIT extends FullStack {

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @ParameterizedTest
  @CsvSource({"command, command-service.openapi.json, /users", "query, query-service.openapi.json, /accounts/{accountId}"})
  void shouldServeTheDocumentThatIsInTheRepository(String service, String file, String somePath) throws IOException {
    Http.Response served = Http.get(("command".equals(service) ? command : query) + "/v3/api-docs");
    assertThat(served.status()).isEqualTo(200);
    JsonNode document = served.json();
    assertThat(document.get("openapi").asString()).startsWith("3.");
    assertThat(document.get("paths").has(somePath)).isTrue();
    String generated = JSON.writeValueAsString(document) + "\n";

    Path committed = Repository.root().resolve("docs/api").resolve(file);
    if (Boolean.getBoolean("api-docs.update")) {
      Files.writeString(committed, generated, StandardCharsets.UTF_8);
    }
    assertThat(committed).as("docs/api/%s is what the code generates (see this test's javadoc to update it)", file)
        .exists();
    assertThat(Files.readString(committed, StandardCharsets.UTF_8)).isEqualTo(generated);
  }
}
