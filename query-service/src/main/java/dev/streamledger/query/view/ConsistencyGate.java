package dev.streamledger.query.view;

import dev.streamledger.contract.consistency.ConsistencyToken.Condition;
import dev.streamledger.contract.consistency.ConsistencyToken;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.web.ApiSecurity;
import dev.streamledger.query.store.ViewStores;
import dev.streamledger.query.system.QuerySettings;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.springframework.stereotype.Component;

/**
 * Read-your-writes: before a view of an account answers, waits (bounded by
 * {@code streamledger.query.consistency-wait}) until it has folded in everything the request's
 * {@code Consistency-Token} says about that account. Runs on the instance that owns the account
 * (a request for another instance's key is forwarded with its token before it gets here). A
 * condition about an account the caller may not read, or about which accounts another user
 * owns, never holds: the answer is then the same {@code 503} after the same wait as for a key
 * that does not exist, so a token (which anyone can write) reveals nothing of another's
 * accounts. Whether a username is registered is public anyway (registering it answers
 * {@code 409} when it is taken), so its generations are not hidden.
 */
@Component
class ConsistencyGate {

  private static final long POLL_NANOS = 2_000_000;

  private final ViewStores stores;
  private final QuerySettings settings;

  ConsistencyGate(ViewStores stores, QuerySettings settings) {
    this.stores = stores;
    this.settings = settings;
  }

  /** Returns once the account's view includes the token's writes; throws if it does not in time. */
  void awaitAccount(String header, String accountId) {
    await(header, accountId, "account");
  }

  /** Returns once the user's view (by canonical name) includes the token's writes; throws if it does not in time. */
  void awaitUser(String header, String username) {
    await(header, username, "user");
  }

  private void await(String header, String key, String what) {
    if (header == null) {
      return;
    }
    ConsistencyToken token = ConsistencyToken.decode(header).orElseThrow(InvalidTokenException::new);
    List<Condition> conditions = token.about(key);
    long deadline = System.nanoTime() + settings.consistencyWait().toNanos();
    while (!conditions.stream().allMatch(this::holds)) {
      if (System.nanoTime() > deadline) {
        throw new NotYetConsistentException("the view of " + what + " '" + key
            + "' has not yet folded in the write of this Consistency-Token; ask again shortly");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private boolean holds(Condition condition) {
    if ("uxo".indexOf(condition.kind()) >= 0) {
      UserView user = stores.get(ReadViewTopology.USERS_STORE, Topics.USER_EVENTS, condition.key());
      if (user == null) {
        return false;
      }
      if (condition.kind() == 'o') {
        return user.generation() > 0 && ApiSecurity.mayRead(user.reader())
            && user.accountIds().contains(condition.value());
      }
      long generation = Long.parseLong(condition.value());
      boolean deletion = condition.kind() == 'x';
      return user.generation() > generation || user.generation() == generation && user.deleted() == deletion;
    }
    String account = condition.key();
    AccountView view = stores.get(ReadViewTopology.ACCOUNTS_STORE, Topics.ACCOUNT_EVENTS, account);
    if (view == null || !ApiSecurity.mayRead(view.reader())) {
      return false;
    }
    if (condition.kind() == 'a') {
      return view.version() >= Long.parseLong(condition.value());
    }
    Long version = stores.get(ReadViewTopology.MOVEMENTS_STORE, Topics.ACCOUNT_EVENTS,
        account, ReadViewTopology.movementKey(account, condition.value(), condition.kind()));
    return version != null;
  }

  /** {@code 400}: the header is not a token this system made. */
  static final class InvalidTokenException extends RuntimeException {
    InvalidTokenException() {
      super("the Consistency-Token is not one this system made; send back the header of a command answer", null,
          false, false);
    }
  }

  /** {@code 503}: the view is still behind the token after the wait. */
  static final class NotYetConsistentException extends RuntimeException {
    NotYetConsistentException(String message) {
      super(message, null, false, false);
    }
  }
}
