package dev.streamledger.testidp;

import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * An OpenID Connect provider for tests: Spring Authorization Server as Spring Boot configures it
 * from properties (clients, the user), whose ID and access tokens carry the user's roles in
 * {@code roles}, as the services read them. Outside the console's package, so the console's own
 * context never scans it.
 */
@SpringBootApplication
public class TestIdentityProvider {

  /** Users whose name starts with "ops" are operators. */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> roles() {
    return context -> {
      if (context.getPrincipal().getName().startsWith("ops")) {
        context.getClaims().claim("roles", List.of("operator"));
      }
    };
  }
}
