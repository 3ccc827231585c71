package dev.streamledger.query.view;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.streamledger.contract.consistency.ConsistencyToken.Condition;
import dev.streamledger.contract.consistency.ConsistencyToken;
import dev.streamledger.query.store.ViewStores;
import dev.streamledger.query.system.QuerySettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** Which user views satisfy which conditions of a token (the views themselves are stubbed), asked by alice. */
class ConsistencyGateTest {

  @BeforeEach
  void asAlice() {
    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice",
        null, List.of()));
  }

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  private final ViewStores stores = mock(ViewStores.class);
  private final ConsistencyGate gate = new ConsistencyGate(stores, new QuerySettings("q", null, null, 1, null,
      URI.create("http://127.0.0.1:1"), null, 0, Duration.ofMillis(20), null, null, null));

  @Test
  void shouldWaitForTheRegistrationOfTheTokensGeneration() {
    user(new UserView("alice", "A", "alice", Instant.EPOCH, 2, List.of("a1"), false, 0, 0, "alice"));
    assertHolds(new Condition('u', "alice", "2"));
    assertHolds(new Condition('u', "alice", "1"));
    assertWaits(new Condition('u', "alice", "3"));
    assertWaits(new Condition('x', "alice", "2")); // registered, not yet deleted
    assertHolds(new Condition('x', "alice", "1")); // generation 1 was deleted before 2 began
    assertHolds(new Condition('o', "alice", "a1"));
    assertWaits(new Condition('o', "alice", "a2"));
  }

  @Test
  void shouldWaitForTheDeletionOfTheTokensGeneration() {
    user(new UserView("alice", null, null, null, 2, List.of(), true, 0, 0, null));
    assertHolds(new Condition('x', "alice", "2"));
    assertWaits(new Condition('u', "alice", "2")); // its registration was undone
    assertWaits(new Condition('x', "alice", "3"));
  }

  @Test
  void shouldNotTellAnotherWhichAccountsAUserOwns() {
    user(new UserView("alice", "A", "alice", Instant.EPOCH, 2, List.of("a1"), false, 0, 0, "alice"));
    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("mallory",
        null, List.of()));
    assertWaits(new Condition('o', "alice", "a1"));
    assertHolds(new Condition('u', "alice", "2")); // a name's registration is public: registering it says it is taken
  }

  @Test
  void shouldWaitForAUserTheViewHasNotSeen() {
    assertWaits(new Condition('u', "bob", "1"));
    assertWaits(new Condition('o', "bob", "a1"));
  }

  private void user(UserView view) {
    when(stores.get(eq(ReadViewTopology.USERS_STORE), any(), eq(view.username()))).thenReturn(view);
  }

  private void assertHolds(Condition condition) {
    assertThatCode(() -> gate.awaitUser(new ConsistencyToken(List.of(condition)).encode(), condition.key()))
        .as("%s", condition).doesNotThrowAnyException();
  }

  private void assertWaits(Condition condition) {
    assertThatThrownBy(() -> gate.awaitUser(new ConsistencyToken(List.of(condition)).encode(), condition.key()))
        .as("%s", condition).isInstanceOf(ConsistencyGate.NotYetConsistentException.class);
  }
}
