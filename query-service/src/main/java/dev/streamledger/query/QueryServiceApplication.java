package dev.streamledger.query;

import dev.streamledger.contract.web.Observability;
import dev.streamledger.contract.web.ServerErrors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Read views folded from event topics, served from Kafka Streams state stores. */
@SpringBootApplication
@Import({Observability.class, ServerErrors.class})
@ConfigurationPropertiesScan(basePackages = {"dev.streamledger.query", "dev.streamledger.contract.runtime"})
public class QueryServiceApplication {

  /** Reads {@code query-service.yml}, so all three services can share one classpath in tests. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(QueryServiceApplication.class)
        .properties("spring.config.name=query-service");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
