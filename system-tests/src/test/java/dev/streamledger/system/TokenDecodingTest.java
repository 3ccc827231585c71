package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamledger.contract.security.SecuritySettings;
import dev.streamledger.testsupport.DevTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.UrlResource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * The HTTP services' token decoder ({@link SecuritySettings#httpDecoder}): it reuses a recent
 * verification of the very same token, but never past the token's expiry, and never for another
 * token — a tampered copy or one signed by a key it does not trust.
 */
class TokenDecodingTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @TempDir Path otherKeys;

  @Test
  void shouldReuseAVerificationButNotPastTheTokensExpiry() throws Exception {
    String token = DevTokens.forTests().token("alice", true, NOW, NOW.plus(Duration.ofMinutes(10)));

    MovableClock clock = new MovableClock(NOW);
    JwtDecoder decoder = decoder(clock);

    assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
    clock.now = NOW.plus(Duration.ofMinutes(2));
    assertThat(decoder.decode(token).getSubject()).as("again, from the cache").isEqualTo("alice");
    clock.now = NOW.plus(Duration.ofMinutes(12));
    assertThatThrownBy(() -> decoder.decode(token)).as("cached, but expired")
        .isInstanceOf(JwtValidationException.class).hasMessageContaining("expired");
  }

  @Test
  void shouldNotLetAVerifiedTokenVouchForATamperedOrForeignOne() throws Exception {
    JwtDecoder decoder = decoder(new MovableClock(NOW));
    String token = DevTokens.forTests().token("mallory", false, NOW, NOW.plus(Duration.ofMinutes(10)));
    decoder.decode(token);
    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"sub\":\"mallory\"", "\"sub\":\"alice\"");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    String foreign = DevTokens.in(otherKeys).token("alice", true, NOW, NOW.plus(Duration.ofMinutes(10)));

    assertThatThrownBy(() -> decoder.decode(tampered)).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> decoder.decode(foreign)).isInstanceOf(BadJwtException.class);
  }

  private static JwtDecoder decoder(Clock clock) throws Exception {
    return SecuritySettings.ofPublicKey(new UrlResource(DevTokens.forTests().publicKeyLocation())).httpDecoder(clock);
  }

  private static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
