package dev.streamledger.console.auth;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.web.ProblemResponses;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The console is a backend-for-frontend (the pattern the IETF's "OAuth 2.0 for Browser-Based
 * Applications" recommends): the browser holds an HttpOnly session cookie, never a token.
 * <ul>
 *   <li>{@code /api/**} needs a signed-in session, else {@code 401} problem+json; of the actuator,
 *       health, info and the Prometheus endpoint are open (as on the services), the rest closed;</li>
 *   <li>every request that changes something needs the CSRF token (cookie {@code XSRF-TOKEN},
 *       echoed in header {@code X-XSRF-TOKEN}), else {@code 403};</li>
 *   <li>sign-in with the identity provider by OpenID Connect, authorization code with PKCE, when
 *       a client registration {@value #REGISTRATION} is configured; the development sign-in only
 *       while the development key is ({@link DevSignIn});</li>
 *   <li>a Content-Security-Policy that lets the page load and call only its own origin.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ConsoleSecurity {

  /** The client registration id of the identity provider (spring.security.oauth2.client.registration.streamledger.*). */
  public static final String REGISTRATION = "streamledger";

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";

  @Bean
  static SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  SecurityFilterChain console(HttpSecurity http, ObjectProvider<ClientRegistrationRepository> providers)
      throws Exception {
    PathPatternRequestMatcher api = PathPatternRequestMatcher.pathPattern("/api/**");
    http.authorizeHttpRequests(requests -> requests
            .requestMatchers(api).authenticated()
            .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
            .requestMatchers("/actuator/**").denyAll()
            .anyRequest().permitAll())
        .csrf(csrf -> csrf.spa())
        .requestCache(cache -> cache.disable())
        .exceptionHandling(errors -> errors
            .defaultAuthenticationEntryPointFor((request, response, e) -> ProblemResponses.write(request, response,
                ProblemType.UNAUTHORIZED, "sign in first"), api)
            .accessDeniedHandler((request, response, e) -> ProblemResponses.write(request, response,
                ProblemType.FORBIDDEN, e instanceof CsrfException
                    ? "the request lacks this session's CSRF token (header X-XSRF-TOKEN); reload the page"
                    : "not allowed")))
        .logout(logout -> logout.logoutUrl("/auth/sign-out")
            .logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
        .headers(headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
            .frameOptions(frames -> frames.deny()));
    ClientRegistrationRepository registrations = providers.getIfAvailable();
    if (registrations != null) {
      // PKCE for this confidential client too (Spring Security's default now; said here so it stays)
      DefaultOAuth2AuthorizationRequestResolver pkce =
          new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
      pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
      http.oauth2Login(login -> login
          .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(pkce))
          .defaultSuccessUrl("/", true));
    }
    return http.build();
  }

  /** Gets and refreshes the provider's access tokens of signed-in sessions. */
  @Bean
  @ConditionalOnProperty(prefix = "spring.security.oauth2.client.registration." + REGISTRATION, name = "client-id")
  OAuth2AuthorizedClientManager authorizedClients(ClientRegistrationRepository registrations,
      OAuth2AuthorizedClientRepository clients) {
    DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations, clients);
    manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
        .authorizationCode().refreshToken().build());
    return manager;
  }
}
