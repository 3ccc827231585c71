package dev.streamledger.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A development identity provider: an RSA key pair on disk and RS256 JWTs signed with it, for
 * tests and for {@code bin/local-stack} / {@code bin/token}. The services trust its public key
 * ({@code streamledger.security.public-key}) exactly as they would trust a real provider's JWKS.
 * Plain JDK, so {@code bin/token} runs it without any other jar.
 *
 * <p>Tokens carry {@code iss} {@value #ISSUER}, {@code sub} (by convention here the username the
 * subject registers), {@code iat}, {@code exp} and, for operators, {@code roles: ["operator"]}.
 */
public final class DevTokens {

  public static final String ISSUER = "streamledger-dev";
  public static final String PRIVATE_KEY_FILE = "token.key.pem";
  public static final String PUBLIC_KEY_FILE = "token.pub.pem";

  private static DevTokens forTests;

  private final PrivateKey privateKey;
  private final Path publicKey;

  private DevTokens(PrivateKey privateKey, Path publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** The key pair in {@code directory}, made there first if it has none. */
  public static DevTokens in(Path directory) {
    Path privateFile = directory.resolve(PRIVATE_KEY_FILE);
    Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
    try {
      if (!Files.exists(privateFile)) {
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Path temporary = Files.createTempFile(directory, "token", ".tmp");
        try {
          Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the directory's permissions must do
        }
        Files.writeString(temporary, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.move(temporary, privateFile);
      }
      String pem = Files.readString(privateFile, StandardCharsets.US_ASCII)
          .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      return new DevTokens(key, publicFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key pair in " + directory, e);
    }
  }

  /** The key pair of this test JVM, in a temporary directory. */
  public static synchronized DevTokens forTests() {
    if (forTests == null) {
      try {
        forTests = in(Files.createTempDirectory("streamledger-test-keys"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return forTests;
  }

  /** The private key as a Spring resource location, for the console's development sign-in. */
  public String privateKeyLocation() {
    return publicKey.resolveSibling(PRIVATE_KEY_FILE).toUri().toString();
  }

  /** The public key as a Spring resource location, for {@code streamledger.security.public-key}. */
  public String publicKeyLocation() {
    return publicKey.toUri().toString();
  }

  /** The public key as a JSON Web Key Set (RFC 7517), as an identity provider serves it. */
  public String jwks() {
    try {
      String pem = Files.readString(publicKey, StandardCharsets.US_ASCII)
          .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
      var key = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
      return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" + unsigned(key.getModulus())
          + "\",\"e\":\"" + unsigned(key.getPublicExponent()) + "\"}]}";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + publicKey, e);
    }
  }

  /** A token for {@code subject}, valid for the next hour. */
  public String token(String subject, boolean operator) {
    Instant now = Instant.now();
    return token(subject, operator, now, now.plus(Duration.ofHours(1)));
  }

  /** A token for {@code subject} issued at {@code issuedAt} that expires at {@code expiresAt}. */
  public String token(String subject, boolean operator, Instant issuedAt, Instant expiresAt) {
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":" + quoted(subject) + ",\"iat\":" + issuedAt.getEpochSecond()
        + ",\"exp\":" + expiresAt.getEpochSecond() + (operator ? ",\"roles\":[\"operator\"]" : "") + "}";
    String signed = base64(header.getBytes(StandardCharsets.UTF_8)) + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(privateKey);
      rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + base64(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime signs RS256", e);
    }
  }

  /**
   * {@code bin/token}: prints a token. Arguments: {@code <key directory> <subject> [--operator]
   * [--minutes N]}, or {@code <key directory> --init} to make the key pair only; the key pair is
   * made in the directory if it has none.
   */
  public static void main(String[] args) {
    if (args.length == 2 && args[1].equals("--init")) {
      in(Path.of(args[0]));
      return;
    }
    if (args.length < 2 || args[1].startsWith("--")) {
      System.err.println("usage: bin/token <username> [--operator] [--minutes N]");
      System.exit(2);
    }
    boolean operator = false;
    long minutes = 60;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--operator" -> operator = true;
        case "--minutes" -> minutes = Long.parseLong(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Instant now = Instant.now();
    System.out.println(in(Path.of(args[0])).token(args[1], operator, now, now.plus(Duration.ofMinutes(minutes))));
  }

  private static String quoted(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;   // no sign byte (RFC 7518 6.3.1)
    return base64(Arrays.copyOfRange(bytes, skip, bytes.length));
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
