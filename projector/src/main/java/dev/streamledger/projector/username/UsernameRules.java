package dev.streamledger.projector.username;

import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.user.UserCommand;
import dev.streamledger.contract.user.UserCommand.ClaimUsername;
import dev.streamledger.contract.user.UserCommand.ReleaseUsername;
import dev.streamledger.contract.user.UserEvent;
import dev.streamledger.contract.user.UserEvent.UserDeleted;
import dev.streamledger.contract.user.UserEvent.UserRegistered;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The uniqueness rule as pure functions: given the state of a name and the next command for it
 * in log order, what is the new state, which event (if any) happened, and what is the answer.
 * The first claim in the log wins; every later one is refused until the name is released.
 */
final class UsernameRules {

  static final String REGISTERED = "user-registered";
  static final String TAKEN = "username-taken";
  static final String DELETED = "user-deleted";
  static final String NOT_FOUND = "user-not-found";

  record Decision(NameState state, Optional<UserEvent> event, Outcome outcome) {}

  private UsernameRules() {}

  static Decision decide(UserCommand command, NameState state, Instant decidedAt) {
    // Java 17 has no pattern switch; the hierarchy is sealed, so these are all the cases
    if (command instanceof ClaimUsername claim) {
      return claim(claim, state, decidedAt);
    }
    return release((ReleaseUsername) command, state, decidedAt);
  }

  private static Decision claim(ClaimUsername claim, NameState state, Instant decidedAt) {
    if (state.taken()) {
      return new Decision(state, Optional.empty(), Outcome.rejected(claim.requestId(), TAKEN, claim.username(),
          "the username '" + claim.username() + "' is already registered", decidedAt));
    }
    long generation = state.generation() + 1;
    var holder = new NameState.Holder(claim.requestId(), claim.requestedAs(), claim.displayName(), claim.receivedAt());
    var event = new UserRegistered(claim.username(), generation, claim.requestId(), claim.requestedAs(),
        claim.displayName(), claim.receivedAt());
    var outcome = Outcome.accepted(claim.requestId(), REGISTERED, claim.username(),
        "registered '" + claim.username() + "'",
        Map.of("username", claim.username(), "displayName", claim.displayName(),
            "registeredAt", claim.receivedAt().toString()),
        decidedAt);
    return new Decision(new NameState(generation, holder), Optional.of(event), outcome);
  }

  private static Decision release(ReleaseUsername release, NameState state, Instant decidedAt) {
    if (!state.taken()) {
      return new Decision(state, Optional.empty(), Outcome.rejected(release.requestId(), NOT_FOUND,
          release.username(), "no user '" + release.username() + "' is registered", decidedAt));
    }
    var event = new UserDeleted(release.username(), state.generation(), release.requestId(), release.receivedAt());
    var outcome = Outcome.accepted(release.requestId(), DELETED, release.username(),
        "deleted '" + release.username() + "'; the name is free again", Map.of(), decidedAt);
    return new Decision(new NameState(state.generation(), null), Optional.of(event), outcome);
  }
}
