package dev.streamledger.contract.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrincipalTest {

  @Test
  void shouldBindDataWrittenBeforeSubjectsWereRecordedToTheOwnersUsername() {
    assertThat(Principal.boundSubject("auth0|42", "alice")).isEqualTo("auth0|42");
    assertThat(Principal.boundSubject(null, "alice")).isEqualTo("alice");
    assertThat(new Principal("alice", false).is(Principal.boundSubject(null, "alice"))).isTrue();
    assertThat(new Principal("mallory", true).is("alice")).as("an operator is no owner").isFalse();
  }
}
