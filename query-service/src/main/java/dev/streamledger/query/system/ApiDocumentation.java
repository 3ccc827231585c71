package dev.streamledger.query.system;

import dev.streamledger.contract.web.ApiDocs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * The query service's OpenAPI document ({@code /v3/api-docs}, browsable at
 * {@code /swagger-ui.html}): springdoc reads the controllers, this adds the description
 * ({@code query-service-api.md}) and the problem answers.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  @Bean
  OpenApiCustomizer queryApi() {
    return ApiDocs.customizer("Streamledger query service", description(), (path, operation) -> {
      operation.getResponses().addApiResponse("404", ApiDocs.problem("No such key"));
      operation.getResponses().addApiResponse("503", ApiDocs.problem(
          "not-ready (views rebalancing or restoring) or not-yet-consistent; retry after Retry-After"));
    });
  }

  private static String description() {
    try {
      return new ClassPathResource("query-service-api.md").getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
