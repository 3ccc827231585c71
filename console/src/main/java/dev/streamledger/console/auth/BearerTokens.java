package dev.streamledger.console.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.stereotype.Component;

/**
 * The bearer token the console sends the services for a signed-in session; it never leaves the
 * server. A development session's token is signed here and kept in the session until a minute
 * before it runs out; a session signed in with the identity provider uses its access token, which
 * Spring's client manager refreshes (refresh token grant) when it has expired.
 */
@Component
public class BearerTokens {

  private static final String SESSION_TOKEN = BearerTokens.class.getName() + ".token";
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

  private final ObjectProvider<DevSignIn> devSignIn;
  private final ObjectProvider<OAuth2AuthorizedClientManager> clients;
  private final Clock clock = Clock.systemUTC();

  public BearerTokens(ObjectProvider<DevSignIn> devSignIn, ObjectProvider<OAuth2AuthorizedClientManager> clients) {
    this.devSignIn = devSignIn;
    this.clients = clients;
  }

  /** The token of {@code authentication}'s session; empty when it has none (signed out, or the provider refused). */
  public Optional<String> of(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
    if (authentication instanceof DevSignIn.Session dev) {
      DevSignIn signer = devSignIn.getIfAvailable();
      if (signer == null) {
        return Optional.empty(); // a session from a run that had the development key
      }
      HttpSession session = request.getSession();
      if (!(session.getAttribute(SESSION_TOKEN) instanceof DevSignIn.SignedToken token)
          || token.expiresAt().minus(RENEW_BEFORE).isBefore(clock.instant())) {
        DevSignIn.SignedToken signed = signer.token(dev);
        session.setAttribute(SESSION_TOKEN, signed);
        return Optional.of(signed.value());
      }
      return Optional.of(token.value());
    }
    if (authentication instanceof OAuth2AuthenticationToken oauth) {
      OAuth2AuthorizedClientManager manager = clients.getIfAvailable();
      if (manager == null) {
        return Optional.empty();
      }
      try {
        OAuth2AuthorizedClient client = manager.authorize(OAuth2AuthorizeRequest
            .withClientRegistrationId(oauth.getAuthorizedClientRegistrationId())
            .principal(oauth).attribute(HttpServletRequest.class.getName(), request)
            .attribute(HttpServletResponse.class.getName(), response).build());
        return Optional.ofNullable(client).map(c -> c.getAccessToken().getTokenValue());
      } catch (OAuth2AuthorizationException e) {
        // the provider refused to refresh it (the user signed out there, the grant was revoked):
        // the session is over, and the app is told so (401) and shows the sign-in
        HttpSession session = request.getSession(false);
        if (session != null) {
          session.invalidate();
        }
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
