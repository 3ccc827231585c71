package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.streamledger.contract.security.SecuritySettings;
import dev.streamledger.testsupport.DevTokens;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
 * token — a tampered copy or one signed by a key it does not trust; with an identity provider's
 * JWKS endpoint it takes the keys from there, and checks issuer and audience when they are set.
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

  @Test
  void shouldTakeTheKeysFromAnIdentityProvidersJwksEndpointAndCheckIssuerAndAudience() throws Exception {
    HttpServer idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    idp.createContext("/certs", exchange -> {
      byte[] body = DevTokens.forTests().jwks().getBytes(StandardCharsets.US_ASCII);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    idp.start();
    try {
      URI jwks = URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/certs");
      JwtDecoder plain = new SecuritySettings(null, null, jwks, null, null, null, null).httpDecoder();
      JwtDecoder otherIssuer = new SecuritySettings("https://idp.example/realms/bank", null, jwks, null, null,
          null, null).httpDecoder();
      JwtDecoder withAudience = new SecuritySettings(DevTokens.ISSUER, "streamledger", jwks, null, null, null, null)
          .httpDecoder();
      String token = DevTokens.forTests().token("alice", false);

      assertThat(plain.decode(token).getSubject()).isEqualTo("alice");
      assertThat(new SecuritySettings(DevTokens.ISSUER, null, jwks, null, null, null, null).httpDecoder()
          .decode(token).getSubject()).as("its own issuer").isEqualTo("alice");
      assertThatThrownBy(() -> otherIssuer.decode(token)).as("another issuer")
          .isInstanceOf(JwtValidationException.class).hasMessageContaining("iss");
      assertThatThrownBy(() -> withAudience.decode(token)).as("not for this audience")
          .isInstanceOf(JwtValidationException.class).hasMessageContaining("aud");
      assertThatThrownBy(() -> plain.decode(DevTokens.in(otherKeys).token("alice", false)))
          .as("a key the provider does not list").isInstanceOf(BadJwtException.class);
    } finally {
      idp.stop(0);
    }
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
