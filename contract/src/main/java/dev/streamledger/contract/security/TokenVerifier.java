package dev.streamledger.contract.security;

import java.time.Instant;
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
   * The principal {@code token} proves, if it was valid at {@code at}; with {@code at} null only
   * its signature and claims are checked (for a command whose token was checked when it arrived).
   *
   * @throws InvalidCredentialException if it proves nothing
   * @throws org.springframework.security.oauth2.jwt.JwtException if the keys cannot be fetched
   *     (a passing failure: the command is not at fault)
   */
  public Principal verify(String token, Instant at) {
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
    if (at != null) {
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
    }
    return settings.principal(jwt);
  }
}
