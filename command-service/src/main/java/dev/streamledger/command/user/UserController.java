package dev.streamledger.command.user;

import dev.streamledger.command.system.Answers;
import dev.streamledger.command.system.CommandSettings;
import dev.streamledger.command.system.Inputs;
import dev.streamledger.command.system.InvalidRequestException;
import dev.streamledger.command.system.RequestIdentity;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.request.RequestIds;
import dev.streamledger.contract.user.UserCommand.ClaimUsername;
import dev.streamledger.contract.user.UserCommand.ReleaseUsername;
import dev.streamledger.contract.user.Username;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Username registration. A claim is keyed by the canonical name, so every claim for one name
 * is decided in one partition, in log order; the answer is the decision on this very request.
 */
@RestController
class UserController {

  static final int MAX_DISPLAY_NAME = 64;

  private final Answers answers;
  private final CommandSettings settings;

  UserController(Answers answers, CommandSettings settings) {
    this.answers = answers;
    this.settings = settings;
  }

  record RegisterUser(String username, String displayName) {}

  @Operation(summary = "Register a username")
  @PostMapping(path = "/users", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<Object>> register(
      @RequestHeader(name = RequestIdentity.HEADER, required = false) String idempotencyKey,
      @RequestBody RegisterUser body) {
    Username username = Username.of(body.username());
    String displayName = displayName(body.displayName(), body.username());
    String requestId = RequestIdentity.of(idempotencyKey, "POST", "/users", body.username(), displayName)
        .requestId();
    var claim = new ClaimUsername(requestId, username.canonical(), body.username(), displayName, Inputs.requestTimes(),
        Inputs.credential());
    return answers.send(claim, outcome -> {
      var user = (OutcomeData.User) outcome.data();
      Map<String, Object> created = new LinkedHashMap<>();
      created.put("username", user.username());
      created.put("displayName", user.displayName());
      created.put("registeredAt", user.registeredAt().toString());
      if (user.generation() != null) {
        created.put("generation", user.generation());
      }
      created.put("requestId", requestId);
      return ResponseEntity.created(URI.create(settings.readLocation("/users/" + username.canonical())))
          .body(created);
    });
  }

  @Operation(summary = "Delete a user; the name can be claimed again")
  @DeleteMapping("/users/{username}")
  CompletableFuture<ResponseEntity<Object>> delete(@PathVariable String username) {
    Username name = Username.of(username);
    String requestId = RequestIds.random();
    return answers.send(new ReleaseUsername(requestId, name.canonical(), Inputs.requestTimes(), Inputs.credential()),
        outcome -> ResponseEntity.noContent().build());
  }

  private static String displayName(String given, String fallback) {
    String name = given == null || given.isBlank() ? fallback : given.strip();
    if (name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME) {
      throw new InvalidRequestException(ProblemType.INVALID_DISPLAY_NAME,
          "a display name has at most " + MAX_DISPLAY_NAME + " characters");
    }
    if (name.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
        && cp != 0x200D)) {
      throw new InvalidRequestException(ProblemType.INVALID_DISPLAY_NAME,
          "a display name has no control or invisible formatting characters");
    }
    return name;
  }
}
