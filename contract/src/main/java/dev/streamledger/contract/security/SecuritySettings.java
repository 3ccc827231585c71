package dev.streamledger.contract.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Which tokens every service trusts ({@code streamledger.security.*}, or environment variables
 * such as {@code STREAMLEDGER_SECURITY_PUBLIC_KEY}): RS256-signed JWTs whose keys come from an
 * identity provider's JWKS endpoint ({@code jwk-set-uri}) or from one PEM public key
 * ({@code public-key}, a resource location such as {@code file:/keys/dev.pub.pem}). Exactly one
 * of the two is set. The HTTP services and the projector read the same settings, so a token the
 * REST API accepts is one the projector accepts inside a command.
 *
 * @param issuer when set, tokens must carry this {@code iss}
 * @param audience when set, tokens must name it in {@code aud}
 * @param rolesClaim the claim listing the subject's roles (a JSON array or a space-separated
 *     string; {@code roles} by default)
 * @param operatorRole the role that makes a subject an operator ({@code operator} by default)
 * @param clockSkew how far a token's times may be off ({@code 60s} by default)
 */
@ConfigurationProperties("streamledger.security")
public record SecuritySettings(String issuer, String audience, URI jwkSetUri, Resource publicKey, String rolesClaim,
    String operatorRole, Duration clockSkew) {

  public SecuritySettings {
    issuer = blankToNull(issuer);
    audience = blankToNull(audience);
    rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
    operatorRole = operatorRole == null || operatorRole.isBlank() ? "operator" : operatorRole;
    clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
    if ((jwkSetUri == null) == (publicKey == null)) {
      throw new IllegalStateException("set exactly one of streamledger.security.public-key (a PEM public key, e.g. "
          + "file:/keys/token.pub.pem; bin/local-stack makes one) and streamledger.security.jwk-set-uri (your "
          + "identity provider's JWKS endpoint)");
    }
  }

  /** Settings that trust one public key, and nothing else. */
  public static SecuritySettings ofPublicKey(Resource publicKey) {
    return new SecuritySettings(null, null, null, publicKey, null, null, null);
  }

  /**
   * The decoder of the HTTP services: a token is valid if its signature, issuer, audience and
   * times are, now. Verified signatures are reused for a while ({@link VerifiedTokens}); the
   * times are checked on every request.
   */
  public JwtDecoder httpDecoder() {
    return httpDecoder(Clock.systemUTC());
  }

  /** {@link #httpDecoder()} on {@code clock}. */
  public JwtDecoder httpDecoder(Clock clock) {
    VerifiedTokens verified = new VerifiedTokens(decoder(), clock);
    JwtTimestampValidator times = new JwtTimestampValidator(clockSkew);
    times.setClock(clock);
    return token -> {
      Jwt jwt = verified.decode(token);
      OAuth2TokenValidatorResult result = times.validate(jwt);
      if (result.hasErrors()) {
        throw new JwtValidationException(result.getErrors().iterator().next().getDescription(), result.getErrors());
      }
      return jwt;
    };
  }

  /** The verifier of tokens inside commands, whose times are checked against the command's. */
  public TokenVerifier verifier() {
    return new TokenVerifier(new VerifiedTokens(decoder(), Clock.systemUTC())::decode, this);
  }

  /** The principal a verified token names. */
  public Principal principal(Jwt jwt) {
    return principal(jwt.getSubject(), jwt.getClaim(rolesClaim));
  }

  /** The principal of {@code subject} with the roles claim {@code roles} (an array or a space-separated string). */
  public Principal principal(String subject, Object roles) {
    return new Principal(subject, roles(roles).contains(operatorRole));
  }

  /** Signature, subject, issuer and audience; not the times. */
  private NimbusJwtDecoder decoder() {
    NimbusJwtDecoder decoder = jwkSetUri != null
        ? NimbusJwtDecoder.withJwkSetUri(jwkSetUri.toString()).build()
        : NimbusJwtDecoder.withPublicKey(rsaPublicKey()).build();
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()));
    if (issuer != null) {
      validators.add(new JwtIssuerValidator(issuer));
    }
    if (audience != null) {
      validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
          aud -> aud != null && aud.contains(audience)));
    }
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    return decoder;
  }

  private RSAPublicKey rsaPublicKey() {
    try (InputStream in = publicKey.getInputStream()) {
      String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
          .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalStateException("streamledger.security.public-key " + publicKey.getDescription()
          + " is not a readable PEM RSA public key: " + e.getMessage(), e);
    }
  }

  private static List<String> roles(Object claim) {
    if (claim instanceof Collection<?> values) {
      return values.stream().map(String::valueOf).toList();
    }
    if (claim instanceof String text) {
      return List.of(text.trim().split("\\s+"));
    }
    return List.of();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
