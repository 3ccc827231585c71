package dev.streamledger.contract.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * What a command carries to prove who sent it: the sender's bearer token (a JWT, compact form),
 * written in JSON as the bare string. It never shows in {@link #toString()}, so a command that
 * is logged does not leak it.
 */
public record Credential(@JsonValue String token) {

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Credential {
    Objects.requireNonNull(token, "token");
  }

  public static Credential of(String token) {
    return token == null ? null : new Credential(token);
  }

  @Override
  public String toString() {
    return "Credential[token=…]";
  }
}
