package dev.streamledger.command;

import dev.streamledger.contract.web.Observability;
import dev.streamledger.contract.web.ServerErrors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** REST in, commands to Kafka, and the outcome of each request back out. */
@SpringBootApplication
@Import({Observability.class, ServerErrors.class})
@ConfigurationPropertiesScan(basePackages = {"dev.streamledger.command", "dev.streamledger.contract.runtime"})
public class CommandServiceApplication {

  /** Reads {@code command-service.yml}, so all three services can share one classpath in tests. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(CommandServiceApplication.class)
        .properties("spring.config.name=command-service");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
