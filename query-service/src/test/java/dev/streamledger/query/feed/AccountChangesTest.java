package dev.streamledger.query.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccountChangesTest {

  private final AccountChanges changes = new AccountChanges();

  @Test
  void shouldNotMissAFoldThatCameBeforeTheWait() throws Exception {
    changes.listen("a");
    changes.folded("a", 3); // between the feed's last read and its wait
    assertThat(changes.awaitAfter("a", 2, 10, TimeUnit.SECONDS)).isTrue();
    assertThat(changes.awaitAfter("a", 3, 10, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void shouldWakeAWaitingFeedWhenItsAccountFolds() throws Exception {
    changes.listen("a");
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await("a", 0));
    changes.folded("b", 1); // another account: no news for this feed
    changes.folded("a", 1);
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shouldTrackOnlyListenedAccountsAndForgetThemWhenTheLastListenerLeaves() throws Exception {
    changes.folded("a", 5); // nobody listens: not kept
    changes.listen("a");
    changes.listen("a");
    assertThat(changes.awaitAfter("a", 0, 10, TimeUnit.MILLISECONDS)).isFalse();
    changes.stopListening("a");
    changes.folded("a", 6);
    assertThat(changes.awaitAfter("a", 5, 10, TimeUnit.SECONDS)).isTrue(); // one listener is left
    changes.stopListening("a");
    assertThat(changes.awaitAfter("a", 5, 10, TimeUnit.SECONDS)).isFalse(); // forgotten
  }

  @Test
  void shouldEndEveryWaitWhenTheServiceStops() throws Exception {
    changes.listen("a");
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await("a", 0));
    // woken until it is seen waiting: wakeAll only wakes waits in progress
    while (!waiting.isDone()) {
      changes.wakeAll();
      Thread.onSpinWait();
    }
    assertThat(waiting.get()).isFalse();
  }

  private boolean await(String account, long version) {
    try {
      return changes.awaitAfter(account, version, 30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
