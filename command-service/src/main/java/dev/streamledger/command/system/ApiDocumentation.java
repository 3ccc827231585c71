package dev.streamledger.command.system;

import dev.streamledger.contract.consistency.ConsistencyToken;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.web.ApiDocs;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * The command service's OpenAPI document ({@code /v3/api-docs}, browsable at
 * {@code /swagger-ui.html}): springdoc reads the controllers; this adds what they do not say —
 * the limits, idempotency rules and problem types ({@code command-service-api.md}), the headers every
 * command accepts, and the answers every command may get.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  @Bean
  OpenApiCustomizer commandApi() {
    return ApiDocs.customizer("Streamledger command service", description(), (path, operation) -> {
      if (operation.getRequestBody() == null && !path.startsWith("/users/")) {
        return;
      }
      for (Parameter parameter : operation.getParameters() == null ? java.util.List.<Parameter>of()
          : operation.getParameters()) {
        if (RequestIdentity.HEADER.equals(parameter.getName())) {
          parameter.description("Makes retries safe: the same key and request get the original answer, once "
              + "(8 days); 1–255 visible ASCII characters, ideally a random UUID.");
        }
      }
      operation.addParametersItem(header(PreferredWait.PREFER, "wait=N: wait up to N seconds (at most 60) for the outcome"));
      operation.addParametersItem(header(Inputs.CLIENT_CREATED_AT, "RFC 3339: when the client created the request, by its clock"));
      operation.addParametersItem(header(Inputs.CLIENT_SENT_AT, "RFC 3339: when the client sent the request, by its clock"));
      ApiResponses responses = operation.getResponses();
      responses.forEach((status, response) -> {
        if (status.startsWith("2")) {
          response.addHeaderObject(ConsistencyToken.HEADER, new Header().schema(new StringSchema())
              .description("send it to the query service to read this write"));
          response.addHeaderObject(Answers.REPLAYED, new Header().schema(new StringSchema())
              .description("`true` on an answer given again to a retry with the same Idempotency-Key"));
        }
      });
      responses.addApiResponse("202", new ApiResponse().description("No outcome within the wait: the command is "
          + "in the log and will be decided; `Location` shows the outcome."));
      responses.addApiResponse("400", ApiDocs.problem("Invalid input (see Limits)"));
      responses.addApiResponse("409", ApiDocs.problem("A conflict: " + rejections(409)
          + " (the last with Retry-After)"));
      responses.addApiResponse("422", ApiDocs.problem("Rejected by the rules: " + rejections(422)
          + "; in a transfer also account-not-found"));
      responses.addApiResponse("429", ApiDocs.problem("too-many-requests: this client is over its rate limit; "
          + "nothing changed, retry after Retry-After"));
      responses.addApiResponse("503", ApiDocs.problem("Kafka did not take the command; nothing changed, retry"));
    });
  }

  private static Parameter header(String name, String description) {
    return new HeaderParameter().name(name).required(false).description(description).schema(new StringSchema());
  }

  /** The rejections answered with {@code status}, by name. */
  private static String rejections(int status) {
    return Arrays.stream(Rejection.values()).filter(rejection -> rejection.status() == status)
        .map(Rejection::wireName).collect(Collectors.joining(", "));
  }

  /** {@code command-service-api.md}, with the rules' rejections and their statuses from {@link Rejection}. */
  static String description() {
    String rejections = Arrays.stream(Rejection.values())
        .map(rejection -> "`" + rejection.wireName() + "` (" + rejection.status() + ")")
        .collect(Collectors.joining(", "));
    try {
      return new ClassPathResource("command-service-api.md").getContentAsString(StandardCharsets.UTF_8)
          .replace("{rejections}", rejections);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
