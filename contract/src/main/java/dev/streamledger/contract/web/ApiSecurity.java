package dev.streamledger.contract.web;

import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.security.SecuritySettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Every service's HTTP API is an OAuth2 resource server: a request needs a valid JWT bearer
 * token ({@link SecuritySettings}), else it is {@code 401} problem+json with
 * {@code WWW-Authenticate: Bearer}; health, the API documents and Swagger UI stay open; the
 * service's operator paths need the operator role, else {@code 403}. Denials are counted
 * ({@code streamledger.http.unauthenticated}, {@code streamledger.denied{where=http}}). Whether a
 * user may touch a particular user or account is decided where that data lives (the projector
 * for commands, the view for queries), not here.
 *
 * <p>A service extends this in a {@code @Configuration} class and names its operator paths.
 */
@EnableWebSecurity
@EnableConfigurationProperties(SecuritySettings.class)
public abstract class ApiSecurity {

  /**
   * Reachable without a token. The Prometheus endpoint is among them so a scraper needs no
   * credentials; it reveals counts and latencies, no data, and the deployments keep
   * {@code /actuator} off the public entrance (the Ingress routes only the API's paths).
   */
  public static final List<String> OPEN = List.of("/actuator/health", "/actuator/health/**", "/actuator/info",
      "/actuator/prometheus",
      "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html", "/swagger-ui/**", "/error");

  /** Paths only operators may use (path patterns), besides the actuator's other endpoints. */
  protected abstract List<String> operatorPaths();

  /**
   * No observation (timer and span) around each of the dozen security filters, the
   * authentication and the authorization of every request: in the command service's profile
   * they were the largest part of the request thread's own work (docs/performance.md).
   * {@code http.server.requests} still times every request, and denials are still counted.
   */
  @Bean
  static SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /**
   * The strict firewall's header rules without a regular expression per header and parameter
   * ({@link HeaderFirewall}).
   */
  @Bean
  static WebSecurityCustomizer headerFirewall() {
    return web -> web.httpFirewall(HeaderFirewall.strict());
  }

  @Bean
  JwtDecoder jwtDecoder(SecuritySettings settings) {
    return settings.httpDecoder();
  }

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, SecuritySettings settings, ObjectProvider<MeterRegistry> meters)
      throws Exception {
    AuthenticationEntryPoint unauthenticated = unauthenticated(meters);
    AccessDeniedHandler denied = denied(meters);
    List<String> operator = new ArrayList<>(operatorPaths());
    operator.add("/actuator/**");
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .formLogin(form -> form.disable())
        .httpBasic(basic -> basic.disable())
        .logout(logout -> logout.disable())
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(OPEN.toArray(String[]::new)).permitAll()
            .requestMatchers(operator.toArray(String[]::new)).hasAuthority(Principal.OPERATOR_AUTHORITY)
            .anyRequest().authenticated())
        .oauth2ResourceServer(server -> server
            .bearerTokenResolver(new BearerHeader())
            .jwt(jwt -> jwt.jwtAuthenticationConverter(token -> {
              Principal principal = settings.principal(token);
              return new JwtAuthenticationToken(token, principal.operator()
                  ? List.of(new SimpleGrantedAuthority(Principal.OPERATOR_AUTHORITY)) : List.of(), principal.subject());
            }))
            .authenticationEntryPoint(unauthenticated)
            .accessDeniedHandler(denied))
        .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthenticated)
            .accessDeniedHandler(denied));
    return http.build();
  }

  /** Who sent the request being served. */
  public static Principal principal() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !authentication.isAuthenticated()) {
      throw new IllegalStateException("no authenticated request is being served");
    }
    boolean operator = authentication.getAuthorities().stream()
        .anyMatch(authority -> Principal.OPERATOR_AUTHORITY.equals(authority.getAuthority()));
    return new Principal(authentication.getName(), operator);
  }

  /** The bearer token of the request being served, which commands carry as their credential. */
  public static String credential() {
    if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
      return token.getToken().getTokenValue();
    }
    throw new IllegalStateException("the request being served was not authenticated by a bearer token");
  }

  /**
   * Whether the request being served may read something bound to one of {@code subjects} (its
   * owner; a transfer's two parties): it was sent by one of them or by an operator. The query
   * service answers a caller who may not exactly as if the thing did not exist (docs/security.md),
   * so a refusal says nothing about whether another's account, transfer or user exists.
   */
  public static boolean mayRead(String... subjects) {
    Principal principal = principal();
    return principal.operator() || Arrays.stream(subjects).anyMatch(principal::is);
  }

  /** Counts a denial answered elsewhere (a command the projector refused as forbidden). */
  public static void countDenied(MeterRegistry meters, String where) {
    meters.counter("streamledger.denied", "where", where).increment();
  }

  private static AuthenticationEntryPoint unauthenticated(ObjectProvider<MeterRegistry> meters) {
    BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    return (request, response, failure) -> {
      meters.ifAvailable(registry -> registry.counter("streamledger.http.unauthenticated").increment());
      bearer.commence(request, response, failure);   // the status and WWW-Authenticate: Bearer ...
      boolean sent = request.getHeader("Authorization") != null;
      ProblemResponses.write(request, response, ProblemType.UNAUTHORIZED,
          sent ? "the bearer token is not valid: " + failure.getMessage()
              : "this request needs a bearer token (Authorization: Bearer <JWT>)");
    };
  }

  private static AccessDeniedHandler denied(ObjectProvider<MeterRegistry> meters) {
    BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
    return (request, response, failure) -> {
      meters.ifAvailable(registry -> countDenied(registry, "http"));
      bearer.handle(request, response, failure);
      ProblemResponses.write(request, response, ProblemType.FORBIDDEN, "only an operator may do this");
    };
  }
}
