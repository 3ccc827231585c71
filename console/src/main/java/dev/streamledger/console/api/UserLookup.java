package dev.streamledger.console.api;

import dev.streamledger.console.auth.BearerTokens;
import dev.streamledger.contract.json.Json;
import dev.streamledger.contract.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/user?username=NAME}: whether the caller has registered {@code NAME} yet, and
 * the user if so — {@code 200 {"registered":false}} where the query service says {@code 404}, so
 * the app's first question after a sign-in is not an error. (The query service answers {@code 404}
 * for a user the caller may not read as for one that does not exist; so does this.)
 */
@RestController
public class UserLookup {

  private final Upstream upstream;
  private final BearerTokens tokens;

  public UserLookup(Upstream upstream, BearerTokens tokens) {
    this.upstream = upstream;
    this.tokens = tokens;
  }

  @GetMapping("/api/user")
  ResponseEntity<?> user(@RequestParam String username, Authentication authentication, HttpServletRequest request,
      HttpServletResponse response) throws IOException, InterruptedException {
    Optional<String> token = tokens.of(authentication, request, response);
    if (token.isEmpty()) {
      return problem(ProblemType.UNAUTHORIZED, "the session has no token any more; sign in again");
    }
    HttpResponse<InputStream> answer;
    try {
      answer = upstream.send(Upstream.Service.QUERY, "GET",
          "/users/" + URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20"), token.get(),
          Map.of("Accept", "application/json"), new byte[0], false);
    } catch (IOException e) {
      return problem(ProblemType.BAD_GATEWAY, "the query service did not answer; try again");
    }
    byte[] body;
    try (InputStream in = answer.body()) {
      body = in.readAllBytes();
    }
    Map<String, Object> result = new LinkedHashMap<>();
    if (answer.statusCode() == 404) {
      result.put("registered", false);
      return ResponseEntity.ok(result);
    }
    if (answer.statusCode() != 200) {
      // the service's own problem (400 invalid-username, 503 not-ready, ...) goes back as it is
      ResponseEntity.BodyBuilder passed = ResponseEntity.status(answer.statusCode())
          .header("Content-Type", answer.headers().firstValue("Content-Type").orElse("application/problem+json"));
      answer.headers().firstValue("Retry-After").ifPresent(seconds -> passed.header("Retry-After", seconds));
      return passed.body(body);
    }
    result.put("registered", true);
    result.put("user", Json.MAPPER.readValue(body, JsonNode.class));
    return ResponseEntity.ok(result);
  }

  private static ResponseEntity<ProblemDetail> problem(ProblemType type, String detail) {
    ProblemDetail problem = type.problem(detail);
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }
}
