package dev.streamledger.contract.security;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.Objects;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Verifies the credential a command carries: the bearer token of whoever sent it. Its signature,
 * issuer and audience are checked as the HTTP services check them; its times not against the
 * clock of the moment it is read (a command may wait in Kafka while the projector is down) but
 * against when the command reached Kafka — the broker's append time, which no producer can set.
 */
public final class TokenVerifier {

  private final JwtDecoder decoder;
  private final SecuritySettings settings;

  TokenVerifier(JwtDecoder decoder, SecuritySettings settings) {
    this.decoder = decoder;
    this.settings = settings;
  }

  /**
   * The principal {@code token} proves, if it was valid at {@code at}.
   *
   * @throws InvalidCredentialException if it proves nothing
   * @throws org.springframework.security.oauth2.jwt.JwtException if the keys cannot be fetched
   *     (a passing failure: the command is not at fault)
   */
  public Principal verify(String token, Instant at) {
    Objects.requireNonNull(at, "at");
    if (token == null || token.isBlank()) {
      throw new InvalidCredentialException("carries no credential (the sender's bearer token)");
    }
    Jwt jwt;
    try {
      jwt = decoder.decode(token);
    } catch (JwtValidationException e) {
      throw new InvalidCredentialException("credential refused: " + e.getMessage());
    } catch (BadJwtException e) {
      throw new InvalidCredentialException("credential is not a valid token: " + e.getMessage());
    }
    Instant expiresAt = jwt.getExpiresAt();
    if (expiresAt == null) {
      throw new InvalidCredentialException("credential has no expiry (exp); a command's token must have one");
    }
    if (at.isAfter(expiresAt.plus(settings.clockSkew()))) {
      throw new InvalidCredentialException("credential expired at " + expiresAt + ", the command arrived at " + at);
    }
    if (jwt.getNotBefore() != null && at.isBefore(jwt.getNotBefore().minus(settings.clockSkew()))) {
      throw new InvalidCredentialException("credential is not valid before " + jwt.getNotBefore()
          + ", the command arrived at " + at);
    }
    return settings.principal(jwt);
  }

  /**
   * The principal of a token that was verified when its command arrived (a command the projector
   * then sealed): read, not checked again, so a signing key the identity provider has retired
   * since cannot lose the command.
   */
  public Principal readVerified(String token) {
    try {
      JWTClaimsSet claims = JWTParser.parse(token).getJWTClaimsSet();
      return settings.principal(claims.getSubject(), claims.getClaim(settings.rolesClaim()));
    } catch (ParseException | NullPointerException e) {
      throw new InvalidCredentialException("a sealed command's credential is not a token");
    }
  }
}
