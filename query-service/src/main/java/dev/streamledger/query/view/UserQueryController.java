package dev.streamledger.query.view;

import dev.streamledger.contract.consistency.ConsistencyToken;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.user.Username;
import dev.streamledger.query.store.ServedRequest;
import dev.streamledger.query.store.ViewStores;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class UserQueryController {

  private final ViewStores stores;
  private final ConsistencyGate consistency;

  UserQueryController(ViewStores stores, ConsistencyGate consistency) {
    this.stores = stores;
    this.consistency = consistency;
  }

  record UserProfile(String username, String displayName, Instant registeredAt, List<String> accountIds,
      Map<String, Object> position) {}

  @Operation(summary = "A user's profile and account ids")
  @GetMapping("/users/{username}")
  ResponseEntity<Object> user(@PathVariable String username,
      @RequestHeader(name = ConsistencyToken.HEADER, required = false) String token) {
    String key = Username.of(username).canonical();
    consistency.awaitUser(token, key);
    UserView view = stores.get(ReadViewTopology.USERS_STORE, Topics.USER_EVENTS, key);
    if (view == null || view.deleted() || !ServedRequest.mayRead(view.reader())) {
      return ServedRequest.notFound("no user '" + key + "'");
    }
    return ResponseEntity.ok(new UserProfile(view.username(), view.displayName(), view.registeredAt(),
        view.accountIds(), Map.of("partition", view.sourcePartition(), "offset", view.sourceOffset())));
  }

  /**
   * The status URL of a command answered {@code 202}: its outcome once it is decided, to the
   * request's sender and operators; to anyone else it is not there (the same {@code 404}).
   */
  @Operation(summary = "The outcome of a command answered 202")
  @GetMapping("/requests/{requestId}")
  ResponseEntity<Object> request(@PathVariable String requestId) {
    Outcome outcome = !RequestIds.isWellFormed(requestId) ? null : stores.get(ReadViewTopology.OUTCOMES_STORE, Topics.OUTCOMES, requestId);
    // outcomes recorded before their requester was: operators only
    if (outcome == null || !ServedRequest.mayRead(Stream.ofNullable(outcome.requester()).toArray(String[]::new))) {
      return ServedRequest.notYetFound(
          "no outcome is recorded for request '" + requestId + "': it is still pending, expired or unknown");
    }
    return ResponseEntity.ok(outcome);
  }
}
