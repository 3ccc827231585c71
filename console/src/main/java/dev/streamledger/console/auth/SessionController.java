package dev.streamledger.console.auth;

import dev.streamledger.console.ConsoleSettings;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /auth/session}: who is signed in, and which ways to sign in this console offers. The
 * browser app asks it first; the answer also sets the CSRF cookie the app echoes in a header on
 * every request that changes something.
 */
@RestController
public class SessionController {

  private final ConsoleSettings settings;
  private final ObjectProvider<ClientRegistrationRepository> providers;

  public SessionController(ConsoleSettings settings, ObjectProvider<ClientRegistrationRepository> providers) {
    this.settings = settings;
    this.providers = providers;
  }

  /** The answer: {@code caller} is empty when nobody is signed in. */
  public record SessionView(Optional<Caller> caller, boolean devSignIn, Optional<String> providerSignIn) {}

  @GetMapping("/auth/session")
  SessionView session(Authentication authentication, CsrfToken csrf) {
    csrf.getToken(); // the deferred token is made now, and with it the cookie
    Optional<String> provider = Optional.ofNullable(providers.getIfAvailable())
        .map(repository -> "/oauth2/authorization/" + ConsoleSecurity.REGISTRATION);
    return new SessionView(Caller.of(authentication), settings.devSignIn(), provider);
  }
}
