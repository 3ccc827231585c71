package dev.streamledger.projector.username;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Rejection;
import dev.streamledger.contract.outcome.OutcomeCode;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.security.Principal;
import dev.streamledger.contract.user.UserCommand.ClaimUsername;
import dev.streamledger.contract.user.UserCommand.ReleaseUsername;
import dev.streamledger.contract.user.UserCommand.RequestAccount;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserEvent.AccountAssigned;
import dev.streamledger.contract.user.UserEvent.UserDeleted;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import dev.streamledger.contract.user.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The uniqueness rule as pure functions: given the state of a name and the next command for it
 * in log order, what is the new state, which event (if any) happened, and what is the answer.
 * The first claim in the log wins; every later one is refused until the name is released. A name
 * is bound to the token subject that claimed it: only that subject opens accounts for it or
 * releases it ({@code forbidden} otherwise).
 */
final class UsernameRules {

  /** What a command comes to on its name's partition: accepted or rejected. */
  sealed interface Decision permits Accepted, Rejected {}

  /**
   * The command is applied: the name's new state and the event that says so.
   *
   * @param answer the outcome, or empty when a later stage answers (an account request, passed
   *     on to the new account's partition as {@code next})
   */
  record Accepted(NameState state, UserEvent event, Optional<Outcome> answer,
      Optional<AccountCommand.OpenAccount> next) implements Decision {

    Accepted(NameState state, UserEvent event, Outcome answer) {
      this(state, event, Optional.of(answer), Optional.empty());
    }
  }

  /** The command is refused, nothing changes, and the outcome says why. */
  record Rejected(Outcome outcome) implements Decision {

    Rejection reason() {
      return outcome.rejection().orElseThrow();
    }
  }

  private UsernameRules() {}

  /**
   * @param sender who sent the command, proven by its credential: a claim binds the name to the
   *     sender's subject, and only that subject opens accounts for the name or deletes it
   */
  static Decision decide(UserCommand command, Principal sender, NameState state, Instant decidedAt) {
    // Java 17 has no pattern switch; the hierarchy is sealed, so these are all the cases
    if (command instanceof ClaimUsername claim) {
      return claim(claim, sender, state, decidedAt);
    }
    if (command instanceof RequestAccount request) {
      return requestAccount(request, sender, state, decidedAt);
    }
    return release((ReleaseUsername) command, sender, state, decidedAt);
  }

  /** The subject {@code holder}'s name is bound to: the recorded one, or for older names the name. */
  private static String subjectOf(NameState.Holder holder, String username) {
    return Principal.boundSubject(holder.subject(), username);
  }

  private static Optional<Decision> forbidden(UserCommand command, Principal sender, NameState state,
      Instant decidedAt) {
    if (sender.is(subjectOf(state.holder(), command.username()))) {
      return Optional.empty();
    }
    return Optional.of(reject(command, Rejection.FORBIDDEN, "the user '" + command.username() + "' is not yours",
        decidedAt));
  }

  private static Rejected reject(UserCommand command, Rejection reason, String detail, Instant decidedAt) {
    return new Rejected(Outcome.rejected(command.requestId(), reason, command.username(), detail, decidedAt));
  }

  private static Decision claim(ClaimUsername claim, Principal sender, NameState state, Instant decidedAt) {
    if (state.taken()) {
      return reject(claim, Rejection.USERNAME_TAKEN, "the username '" + claim.username() + "' is already registered",
          decidedAt);
    }
    long generation = state.generation() + 1;
    var holder = new NameState.Holder(claim.requestId(), claim.requestedAs(), claim.displayName(), claim.receivedAt(),
        List.of(), sender.subject());
    var event = new UserRegistered(claim.username(), generation, claim.requestId(), claim.requestedAs(),
        claim.displayName(), claim.receivedAt(), claim.times(), sender.subject());
    var outcome = Outcome.accepted(claim.requestId(), OutcomeCode.Accepted.USER_REGISTERED, claim.username(),
        "registered '" + claim.username() + "'",
        new OutcomeData.User(claim.username(), claim.displayName(), claim.receivedAt(), generation), decidedAt);
    return new Accepted(new NameState(generation, holder), event, outcome);
  }

  private static Decision requestAccount(RequestAccount request, Principal sender, NameState state,
      Instant decidedAt) {
    if (!state.taken()) {
      return reject(request, Rejection.OWNER_NOT_FOUND,
          "no user '" + request.username() + "' is registered to own the account", decidedAt);
    }
    Optional<Decision> forbidden = forbidden(request, sender, state, decidedAt);
    if (forbidden.isPresent()) {
      return forbidden.get();
    }
    NameState.Holder holder = state.holder();
    List<String> accounts = new ArrayList<>(holder.accountIds());
    accounts.add(request.accountId());
    var owned = new NameState(state.generation(), new NameState.Holder(holder.requestId(), holder.requestedAs(),
        holder.displayName(), holder.registeredAt(), accounts, holder.subject()));
    var event = new AccountAssigned(request.username(), state.generation(), request.requestId(), request.accountId(),
        request.currency(), request.receivedAt(), request.times());
    var open = new AccountCommand.OpenAccount(request.requestId(), request.accountId(), request.username(),
        request.currency(), request.times(), subjectOf(holder, request.username()));
    return new Accepted(owned, event, Optional.empty(), Optional.of(open));
  }

  private static Decision release(ReleaseUsername release, Principal sender, NameState state, Instant decidedAt) {
    if (!state.taken()) {
      return reject(release, Rejection.USER_NOT_FOUND, "no user '" + release.username() + "' is registered",
          decidedAt);
    }
    Optional<Decision> forbidden = forbidden(release, sender, state, decidedAt);
    if (forbidden.isPresent()) {
      return forbidden.get();
    }
    if (!state.holder().accountIds().isEmpty()) {
      return reject(release, Rejection.USER_HAS_ACCOUNTS, "'" + release.username() + "' still owns "
          + state.holder().accountIds().size() + " account(s)", decidedAt);
    }
    var event = new UserDeleted(release.username(), state.generation(), release.requestId(), release.receivedAt(),
        release.times());
    var outcome = Outcome.accepted(release.requestId(), OutcomeCode.Accepted.USER_DELETED, release.username(),
        "deleted '" + release.username() + "'; the name is free again",
        new OutcomeData.UserDeleted(release.username(), state.generation()), decidedAt);
    return new Accepted(new NameState(state.generation(), null), event, outcome);
  }
}
