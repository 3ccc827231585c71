package dev.streamledger.contract.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Tokens whose signature and claims were verified a moment ago, so that a client sending many
 * requests with one token costs one RSA verification, not one per request (they were a third of
 * the command service's CPU per command). Only the exact same token string is found again; an
 * entry is trusted for {@link #TRUSTED_FOR} (as long as the JWKS keys are cached anyway), then
 * verified again. Times ({@code exp}, {@code nbf}) are not part of this: the callers check them on
 * every use.
 */
final class VerifiedTokens {

  /** How long a verification is reused. */
  static final Duration TRUSTED_FOR = Duration.ofMinutes(5);
  /** Tokens kept at most; when full, the cache starts again empty. */
  static final int MAX_TOKENS = 10_000;

  private record Verified(Jwt jwt, Instant at) {}

  private final JwtDecoder decoder;
  private final Clock clock;
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  VerifiedTokens(JwtDecoder decoder, Clock clock) {
    this.decoder = decoder;
    this.clock = clock;
  }

  /** {@code token}, verified now or within the last {@link #TRUSTED_FOR}; throws as the decoder does. */
  Jwt decode(String token) {
    Instant now = clock.instant();
    Verified known = verified.get(token);
    if (known != null && known.at().plus(TRUSTED_FOR).isAfter(now)) {
      return known.jwt();
    }
    Jwt jwt = decoder.decode(token);
    if (verified.size() >= MAX_TOKENS) {
      verified.clear();
    }
    verified.put(token, new Verified(jwt, now));
    return jwt;
  }
}
