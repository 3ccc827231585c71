package dev.streamledger.projector;

import dev.streamledger.contract.web.Observability;
import dev.streamledger.contract.web.ServerErrors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The write model: decides every command with Kafka Streams under exactly-once. */
@SpringBootApplication
@Import({Observability.class, ServerErrors.class})
@ConfigurationPropertiesScan(basePackages = {"dev.streamledger.projector", "dev.streamledger.contract.runtime"})
public class ProjectorApplication {

  /** Reads {@code projector.yml}, so all three services can share one classpath in tests. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(ProjectorApplication.class).properties("spring.config.name=projector");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
