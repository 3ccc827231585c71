package dev.streamledger.console;

import dev.streamledger.contract.web.Observability;
import dev.streamledger.contract.web.ServerErrors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The console: the browser app and its backend-for-frontend. The browser holds a session cookie
 * and a CSRF token, never a bearer token; the console keeps the caller's token in the session and
 * passes requests on to the command and query services with it ({@code docs/console.md}).
 */
@SpringBootApplication
@Import({Observability.class, ServerErrors.class})
@ConfigurationPropertiesScan
public class ConsoleApplication {

  /** Reads {@code console.yml}, as each service reads its own file. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(ConsoleApplication.class).properties("spring.config.name=console");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
