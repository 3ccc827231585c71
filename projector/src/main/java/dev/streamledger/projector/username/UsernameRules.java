package dev.streamledger.projector.username;

import dev.streamledger.contract.account.AccountCommand;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.problem.ProblemTypes;
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
import java.util.Map;
import java.util.Optional;

/**
 * The uniqueness rule as pure functions: given the state of a name and the next command for it
 * in log order, what is the new state, which event (if any) happened, and what is the answer.
 * The first claim in the log wins; every later one is refused until the name is released. A name
 * is bound to the token subject that claimed it: only that subject opens accounts for it or
 * releases it ({@code forbidden} otherwise).
 */
final class UsernameRules {

  static final String REGISTERED = "user-registered";
  static final String TAKEN = "username-taken";
  static final String DELETED = "user-deleted";
  static final String NOT_FOUND = "user-not-found";
  static final String HAS_ACCOUNTS = "user-has-accounts";
  static final String OWNER_NOT_FOUND = "owner-not-found";
  static final String FORBIDDEN = ProblemTypes.FORBIDDEN;

  /**
   * @param outcome the answer, or empty when a later stage answers (an account request that is
   *     passed on to the account's partition as {@code next})
   */
  record Decision(NameState state, Optional<UserEvent> event, Optional<Outcome> outcome,
      Optional<AccountCommand.OpenAccount> next) {

    static Decision answer(NameState state, Optional<UserEvent> event, Outcome outcome) {
      return new Decision(state, event, Optional.of(outcome), Optional.empty());
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
    return Optional.of(Decision.answer(state, Optional.empty(), Outcome.rejected(command.requestId(), FORBIDDEN,
        command.username(), "the user '" + command.username() + "' is not yours", decidedAt)));
  }

  private static Decision claim(ClaimUsername claim, Principal sender, NameState state, Instant decidedAt) {
    if (state.taken()) {
      return Decision.answer(state, Optional.empty(), Outcome.rejected(claim.requestId(), TAKEN, claim.username(),
          "the username '" + claim.username() + "' is already registered", decidedAt));
    }
    long generation = state.generation() + 1;
    var holder = new NameState.Holder(claim.requestId(), claim.requestedAs(), claim.displayName(), claim.receivedAt(),
        List.of(), sender.subject());
    var event = new UserRegistered(claim.username(), generation, claim.requestId(), claim.requestedAs(),
        claim.displayName(), claim.receivedAt(), claim.times(), sender.subject());
    var outcome = Outcome.accepted(claim.requestId(), REGISTERED, claim.username(),
        "registered '" + claim.username() + "'",
        Map.of("username", claim.username(), "displayName", claim.displayName(),
            "registeredAt", claim.receivedAt().toString(), "generation", Long.toString(generation)),
        decidedAt);
    return Decision.answer(new NameState(generation, holder), Optional.of(event), outcome);
  }

  private static Decision requestAccount(RequestAccount request, Principal sender, NameState state,
      Instant decidedAt) {
    if (!state.taken()) {
      return Decision.answer(state, Optional.empty(), Outcome.rejected(request.requestId(), OWNER_NOT_FOUND,
          request.username(), "no user '" + request.username() + "' is registered to own the account", decidedAt));
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
    return new Decision(owned, Optional.of(event), Optional.empty(), Optional.of(open));
  }

  private static Decision release(ReleaseUsername release, Principal sender, NameState state, Instant decidedAt) {
    if (!state.taken()) {
      return Decision.answer(state, Optional.empty(), Outcome.rejected(release.requestId(), NOT_FOUND,
          release.username(), "no user '" + release.username() + "' is registered", decidedAt));
    }
    Optional<Decision> forbidden = forbidden(release, sender, state, decidedAt);
    if (forbidden.isPresent()) {
      return forbidden.get();
    }
    if (!state.holder().accountIds().isEmpty()) {
      return Decision.answer(state, Optional.empty(), Outcome.rejected(release.requestId(), HAS_ACCOUNTS,
          release.username(), "'" + release.username() + "' still owns " + state.holder().accountIds().size()
              + " account(s)", decidedAt));
    }
    var event = new UserDeleted(release.username(), state.generation(), release.requestId(), release.receivedAt(),
        release.times());
    var outcome = Outcome.accepted(release.requestId(), DELETED, release.username(),
        "deleted '" + release.username() + "'; the name is free again", Map.of("username", release.username(),
            "generation", Long.toString(state.generation()), "deleted", "true"), decidedAt);
    return Decision.answer(new NameState(state.generation(), null), Optional.of(event), outcome);
  }
}
