package dev.streamledger.projector.username;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeCode;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.user.UserCommand.ClaimUsername;
import dev.streamledger.contract.user.UserCommand.ReleaseUsername;
import dev.streamledger.contract.user.UserCommand.RequestAccount;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserEvent.AccountAssigned;
import dev.streamledger.contract.user.UserEvent.UserDeleted;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link UsernameRules} and every way it refuses, as a table: a name's state and
 * its next command in, the decision out. Pure functions: no Kafka, no store.
 */
class UsernameRulesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final RequestTimes TIMES = RequestTimes.receivedAt(T0);
  private static final Principal ALICE = new Principal("alice-subject", false);
  private static final Principal MALLORY = new Principal("mallory-subject", false);
  private static final Principal OPERATOR = new Principal("ops", true);
  private static final NameState FREE_AGAIN = new NameState(2, null);
  private static final NameState HELD = held(List.of());
  private static final NameState HELD_WITH_ACCOUNT = held(List.of("acc-1"));

  record Case(String rule, UserCommand command, Principal sender, NameState state,
      Class<? extends UsernameRules.Decision> kind, OutcomeCode answer, Class<?> event, long generationAfter) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("the first claim of a name", claim(), ALICE, NameState.UNSEEN, UsernameRules.Accepted.class,
            Accepted.USER_REGISTERED, UserRegistered.class, 1),
        new Case("a claim of a name deleted before: a new generation", claim(), ALICE, FREE_AGAIN,
            UsernameRules.Accepted.class, Accepted.USER_REGISTERED, UserRegistered.class, 3),
        new Case("a claim of a taken name, even by its holder", claim(), ALICE, HELD, UsernameRules.Rejected.class,
            Rejection.USERNAME_TAKEN, null, 1),
        new Case("an account for the holder: passed on to the account, answered there", requestAccount(), ALICE,
            HELD, UsernameRules.Accepted.class, null, AccountAssigned.class, 1),
        new Case("an account for someone else's name", requestAccount(), MALLORY, HELD, UsernameRules.Rejected.class,
            Rejection.FORBIDDEN, null, 1),
        new Case("an account for a name nobody holds", requestAccount(), ALICE, NameState.UNSEEN,
            UsernameRules.Rejected.class, Rejection.OWNER_NOT_FOUND, null, 0),
        new Case("deleting one's own name without accounts", release(), ALICE, HELD, UsernameRules.Accepted.class,
            Accepted.USER_DELETED, UserDeleted.class, 1),
        new Case("deleting one's own name that still owns an account", release(), ALICE, HELD_WITH_ACCOUNT,
            UsernameRules.Rejected.class, Rejection.USER_HAS_ACCOUNTS, null, 1),
        new Case("deleting someone else's name", release(), MALLORY, HELD, UsernameRules.Rejected.class,
            Rejection.FORBIDDEN, null, 1),
        new Case("deleting someone else's name as an operator", release(), OPERATOR, HELD,
            UsernameRules.Rejected.class, Rejection.FORBIDDEN, null, 1),
        new Case("deleting a name nobody holds", release(), ALICE, FREE_AGAIN, UsernameRules.Rejected.class,
            Rejection.USER_NOT_FOUND, null, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldDecideEachCommandByItsRule(Case example) {
    UsernameRules.Decision decision = UsernameRules.decide(example.command(), example.sender(), example.state(), T0);
    assertThat(decision).isInstanceOf(example.kind());
    if (decision instanceof UsernameRules.Accepted accepted) {
      assertThat(accepted.answer().map(Outcome::code).orElse(null)).isEqualTo(example.answer());
      assertThat(accepted.event()).isInstanceOf(example.event());
      assertThat(accepted.state().generation()).isEqualTo(example.generationAfter());
    } else {
      Outcome outcome = ((UsernameRules.Rejected) decision).outcome();
      assertThat(outcome.code()).isEqualTo(example.answer());
      assertThat(outcome.requestId()).isEqualTo(example.command().requestId());
      assertThat(outcome.subject()).isEqualTo("alice");
    }
  }

  @Test
  void shouldBindANameToTheSubjectThatClaimedItAndAnswerWithTheUser() {
    var accepted = (UsernameRules.Accepted) UsernameRules.decide(claim(), ALICE, NameState.UNSEEN, T0);
    assertThat(accepted.state().holder().subject()).isEqualTo("alice-subject");
    assertThat(accepted.answer().orElseThrow().data()).isEqualTo(new OutcomeData.User("alice", "Alice", T0, 1L));
    var opened = (UsernameRules.Accepted) UsernameRules.decide(requestAccount(), ALICE, accepted.state(), T0);
    assertThat(opened.state().holder().accountIds()).containsExactly("acc-1");
    assertThat(opened.next().orElseThrow().ownerSubject()).isEqualTo("alice-subject");
    var deleted = (UsernameRules.Accepted) UsernameRules.decide(release(), ALICE, HELD, T0);
    assertThat(deleted.state().taken()).isFalse();
    assertThat(deleted.answer().orElseThrow().data()).isEqualTo(new OutcomeData.UserDeleted("alice", 1));
  }

  private static NameState held(List<String> accounts) {
    return new NameState(1, new NameState.Holder("r0", "Alice", "Alice", T0, accounts, "alice-subject"));
  }

  private static ClaimUsername claim() {
    return new ClaimUsername("r1", "alice", "Alice", "Alice", TIMES, null);
  }

  private static RequestAccount requestAccount() {
    return new RequestAccount("r1", "alice", "acc-1", "EUR", TIMES, null);
  }

  private static ReleaseUsername release() {
    return new ReleaseUsername("r1", "alice", TIMES, null);
  }
}
