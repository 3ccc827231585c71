package dev.streamledger.console.api;

import dev.streamledger.console.auth.BearerTokens;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/command/**} and {@code /api/query/**}: the browser's requests passed on to the
 * command and query services with the session's bearer token, and their answers passed back as
 * they come — change feeds ({@code text/event-stream}) flushed event by event. Only the services'
 * public API paths pass (the first path segment is checked against a list; no {@code ..}); the
 * headers the API defines pass both ways, nothing else (no cookie goes on, no token comes back).
 */
@RestController
public class ApiProxy {

  private static final Logger log = LoggerFactory.getLogger(ApiProxy.class);

  /** The first path segments each service's public API has. */
  private static final Map<String, Set<String>> PATHS = Map.of(
      "command", Set.of("users", "accounts", "transfers"),
      "query", Set.of("users", "accounts", "transfers", "requests", "audit", "views", "dead-letters"));
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9._~%-]+)+");
  private static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "Idempotency-Key",
      "Last-Event-ID", "Consistency-Token", "Client-Created-At", "Client-Sent-At", "Prefer");
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Retry-After", "Cache-Control",
      "Streamledger-Position", "Streamledger-Served-By", "Streamledger-Standby-Lag", "Preference-Applied");
  private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE");

  private final Upstream upstream;
  private final BearerTokens tokens;

  public ApiProxy(Upstream upstream, BearerTokens tokens) {
    this.upstream = upstream;
    this.tokens = tokens;
  }

  @RequestMapping({"/api/command/**", "/api/query/**"})
  void pass(Authentication authentication, HttpServletRequest request, HttpServletResponse response)
      throws IOException, InterruptedException {
    String rest = request.getRequestURI().substring(request.getContextPath().length() + "/api/".length());
    int slash = rest.indexOf('/');
    String service = rest.substring(0, slash);
    String path = rest.substring(slash);
    String first = path.length() > 1 ? path.substring(1).split("/", 2)[0] : "";
    if (!SAFE_PATH.matcher(path).matches() || path.contains("/../") || path.endsWith("/..")
        || !PATHS.get(service).contains(first)) {
      ProblemResponses.write(request, response, ProblemType.NOT_FOUND, "the console passes on only the API's paths");
      return;
    }
    if (!METHODS.contains(request.getMethod())) {
      ProblemResponses.write(request, response, ProblemType.METHOD_NOT_ALLOWED, request.getMethod() + " is not passed on");
      return;
    }
    Optional<String> token = tokens.of(authentication, request, response);
    if (token.isEmpty()) {
      ProblemResponses.write(request, response, ProblemType.UNAUTHORIZED, "the session has no token any more; sign in again");
      return;
    }
    String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
    boolean feed = "text/event-stream".equals(request.getHeader("Accept"));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : REQUEST_HEADERS) {
      String value = request.getHeader(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    HttpResponse<InputStream> answer;
    try {
      answer = upstream.send(Upstream.Service.valueOf(service.toUpperCase(Locale.ROOT)), request.getMethod(),
          path + query, token.get(), headers, request.getInputStream().readAllBytes(), feed);
    } catch (IOException e) {
      log.warn("the {} service did not answer {} {}: {}", service, request.getMethod(), path, e.toString());
      ProblemResponses.write(request, response, ProblemType.BAD_GATEWAY, "the " + service + " service did not answer; try again");
      return;
    }
    response.setStatus(answer.statusCode());
    for (String name : RESPONSE_HEADERS) {
      answer.headers().firstValue(name).ifPresent(value -> response.setHeader(name, value));
    }
    try (InputStream in = answer.body()) {
      OutputStream out = response.getOutputStream();
      byte[] buffer = new byte[8192];
      for (int read; (read = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, read);
        if (feed || in.available() == 0) {
          out.flush(); // an event reaches the browser when it happens
        }
      }
    }
  }
}
