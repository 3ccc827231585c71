package dev.streamledger.console.api;

import dev.streamledger.console.ConsoleSettings;
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
import java.util.concurrent.Semaphore;
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
 * Bodies are at most 64 KiB; at most {@code streamledger.console.max-feeds} change feeds are open
 * at once (each holds a thread of the web server while it streams).
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
  /** Encoded dots, slashes and backslashes: a path that means another after decoding is not passed. */
  private static final Pattern ENCODED_SEPARATORS = Pattern.compile("%(2[eEfF]|5[cC])");
  private static final Pattern FEED = Pattern.compile("/accounts/[^/]+/events");
  /** The API's bodies are small (the command service takes at most 16 KiB). */
  private static final int MAX_BODY = 64 * 1024;

  private final Upstream upstream;
  private final BearerTokens tokens;
  private final Semaphore feeds;

  public ApiProxy(Upstream upstream, BearerTokens tokens, ConsoleSettings settings) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.feeds = new Semaphore(settings.maxFeeds());
  }

  @RequestMapping({"/api/command/**", "/api/query/**"})
  void pass(Authentication authentication, HttpServletRequest request, HttpServletResponse response)
      throws IOException, InterruptedException {
    String rest = request.getRequestURI().substring(request.getContextPath().length() + "/api/".length());
    int slash = rest.indexOf('/');
    String service = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    String first = path.length() > 1 ? path.substring(1).split("/", 2)[0] : "";
    if (!PATHS.getOrDefault(service, Set.of()).contains(first) || !SAFE_PATH.matcher(path).matches()
        || ENCODED_SEPARATORS.matcher(path).find() || path.contains("/../") || path.endsWith("/..")) {
      ProblemResponses.write(request, response, ProblemType.NOT_FOUND, "the console passes on only the API's paths");
      return;
    }
    if (!METHODS.contains(request.getMethod())) {
      ProblemResponses.write(request, response, ProblemType.METHOD_NOT_ALLOWED, request.getMethod() + " is not passed on");
      return;
    }
    if (request.getContentLengthLong() > MAX_BODY) {
      ProblemResponses.write(request, response, ProblemType.CONTENT_TOO_LARGE, "a request body is at most 64 KiB");
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      ProblemResponses.write(request, response, ProblemType.CONTENT_TOO_LARGE, "a request body is at most 64 KiB");
      return;
    }
    Optional<String> token = tokens.of(authentication, request, response);
    if (token.isEmpty()) {
      ProblemResponses.write(request, response, ProblemType.UNAUTHORIZED, "the session has no token any more; sign in again");
      return;
    }
    // a change feed streams for as long as the browser keeps it: it holds a server thread, so
    // their number is bounded, leaving threads for everything else
    boolean feed = service.equals("query") && request.getMethod().equals("GET") && FEED.matcher(path).matches();
    if (feed && !feeds.tryAcquire()) {
      response.setHeader("Retry-After", "5");
      ProblemResponses.write(request, response, ProblemType.NOT_READY, "the console has as many change feeds open as it serves; try again later");
      return;
    }
    try {
      forward(service, path, feed, token.get(), body, request, response);
    } finally {
      if (feed) {
        feeds.release();
      }
    }
  }

  private void forward(String service, String path, boolean feed, String token, byte[] body, HttpServletRequest request,
      HttpServletResponse response) throws IOException, InterruptedException {
    String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
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
          path + query, token, headers, body, feed);
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
