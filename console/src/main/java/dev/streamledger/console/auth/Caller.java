package dev.streamledger.console.auth;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Who is signed in to this session: the token subject the services know them by, a name to show
 * (the username to use for a development sign-in; the provider's {@code preferred_username}
 * otherwise) and whether their token carries the operator role. The services decide what the
 * caller may do; the console only chooses which pages to show.
 */
public record Caller(String subject, String name, boolean operator) {

  /** The claim and the role the services read (their defaults, {@code docs/security.md}). */
  static final String ROLES_CLAIM = "roles";
  static final String OPERATOR_ROLE = "operator";

  public static Optional<Caller> of(Authentication authentication) {
    if (authentication instanceof DevSignIn.Session dev) {
      return Optional.of(new Caller(dev.username(), dev.username(), dev.operator()));
    }
    if (authentication != null && authentication.getPrincipal() instanceof OidcUser user) {
      String name = user.getPreferredUsername() != null ? user.getPreferredUsername() : user.getSubject();
      return Optional.of(new Caller(user.getSubject(), name, roles(user.getClaim(ROLES_CLAIM)).contains(OPERATOR_ROLE)));
    }
    return Optional.empty();
  }

  private static List<String> roles(Object claim) {
    if (claim instanceof Collection<?> values) {
      return values.stream().map(String::valueOf).toList();
    }
    return claim instanceof String text ? List.of(text.split(" ")) : List.of();
  }
}
