package dev.streamledger.console.auth;

import dev.streamledger.console.ConsoleSettings;
import dev.streamledger.contract.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The development sign-in: exists only while the console holds the development identity's
 * private key ({@code streamledger.console.dev-sign-in-key}, which {@code bin/local-stack} sets
 * and no deployment overlay does). {@code POST /auth/dev-sign-in {"username","operator"}} signs
 * the session in as that username; the console then signs the session's tokens itself, as
 * {@code bin/token} does (subject = the username, issuer {@value #ISSUER}).
 */
@RestController
@ConditionalOnProperty("streamledger.console.dev-sign-in-key")
public class DevSignIn {

  public static final String ISSUER = "streamledger-dev";
  /** The usernames the services take, loosely: the services check them properly. */
  private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._-]{1,64}");

  private final NimbusJwtEncoder encoder;
  private final ConsoleSettings settings;
  private final Clock clock;
  private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

  public DevSignIn(ConsoleSettings settings) {
    this.settings = settings;
    this.clock = Clock.systemUTC();
    RSAPrivateCrtKey key = privateKey(settings);
    this.encoder = NimbusJwtEncoder.withKeyPair(publicKey(key), key).build();
  }

  /** The body of a sign-in. */
  public record Request(String username, boolean operator) {}

  /** A session signed in through here. */
  public static final class Session extends AbstractAuthenticationToken {
    private final String username;
    private final boolean operator;

    Session(String username, boolean operator) {
      super(AuthorityUtils.createAuthorityList(operator ? List.of("ROLE_USER", "ROLE_OPERATOR") : List.of("ROLE_USER")));
      this.username = username;
      this.operator = operator;
      setAuthenticated(true);
    }

    public String username() {
      return username;
    }

    public boolean operator() {
      return operator;
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return username;
    }
  }

  @PostMapping("/auth/dev-sign-in")
  ResponseEntity<?> signIn(@RequestBody Request body, HttpServletRequest request, HttpServletResponse response) {
    if (body == null || body.username() == null || !USERNAME.matcher(body.username()).matches()) {
      ProblemDetail problem = ProblemType.INVALID_USERNAME.problem(
          "a username is 1 to 64 letters, digits, dots, dashes or underscores");
      return ResponseEntity.status(problem.getStatus()).body(problem);
    }
    // a new session: an id known before the sign-in is worth nothing after it, and nothing of an
    // earlier sign-in in this browser (its cached token, its roles) carries over
    HttpSession earlier = request.getSession(false);
    if (earlier != null) {
      earlier.invalidate();
    }
    request.getSession(true);
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(new Session(body.username(), body.operator()));
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    return ResponseEntity.ok(Caller.of(context.getAuthentication()).orElseThrow());
  }

  /** A token for {@code session}'s user, valid for the configured lifetime from now. */
  public SignedToken token(Session session) {
    Instant now = clock.instant();
    JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
        .issuer(ISSUER).subject(session.username()).issuedAt(now).expiresAt(now.plus(settings.devTokenLifetime()));
    if (session.operator()) {
      claims.claim(Caller.ROLES_CLAIM, List.of(Caller.OPERATOR_ROLE));
    }
    String value = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(),
        claims.build())).getTokenValue();
    return new SignedToken(value, now.plus(settings.devTokenLifetime()));
  }

  /** A bearer token and when it runs out. */
  public record SignedToken(String value, Instant expiresAt) implements java.io.Serializable {}

  private static RSAPrivateCrtKey privateKey(ConsoleSettings settings) {
    try (InputStream pem = settings.devSignInKey().getInputStream()) {
      return (RSAPrivateCrtKey) RsaKeyConverters.pkcs8().convert(pem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read streamledger.console.dev-sign-in-key", e);
    }
  }

  private static RSAPublicKey publicKey(RSAPrivateCrtKey key) {
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
