package dev.streamledger.query.store;

import dev.streamledger.contract.consistency.ConsistencyToken;
import dev.streamledger.contract.json.Json;
import dev.streamledger.contract.problem.ProblemType;
import dev.streamledger.contract.trace.TraceParent;
import dev.streamledger.contract.web.RequestTracing;
import dev.streamledger.query.store.OwnedElsewhereException;
import dev.streamledger.query.system.QuerySettings;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;

/**
 * Answers a query for a key another instance owns by asking that instance, and passing its
 * answer on unchanged (status, body, {@code Content-Type}, {@code Retry-After}), with
 * {@value #SERVED_BY} naming who answered. If the owner does not answer, the instances that
 * keep a standby copy of the key's partition are asked in turn (this one included); their
 * answer carries {@value ServedRequest#STANDBY_LAG}. A forwarded request is never forwarded again:
 * if the one asked thinks someone else owns the key, ownership is moving, and the answer is
 * {@code 503}. No copy answering is a {@code 503} too — never a {@code 404}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class Forwarding {

  /** Set on a forwarded request: the instance that forwarded it. */
  public static final String FORWARDED_BY = "Streamledger-Forwarded-By";
  /** Set on every answer to a forwarded request: the instance whose view answered. */
  public static final String SERVED_BY = "Streamledger-Served-By";

  private static final Logger log = LoggerFactory.getLogger(Forwarding.class);
  private static final List<String> PASSED_ON = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.RETRY_AFTER,
      HttpHeaders.LOCATION, SERVED_BY, ServedRequest.STANDBY_LAG, ServedRequest.POSITION);

  private final QuerySettings settings;
  private final HttpClient http;

  public Forwarding(QuerySettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.forwardTimeout()).build();
  }

  @ExceptionHandler(OwnedElsewhereException.class)
  ResponseEntity<Object> forward(OwnedElsewhereException owned, HttpServletRequest request) {
    if (request.getHeader(FORWARDED_BY) != null) {
      return unavailable("the view of this key is moving between instances");
    }
    String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    String accept = valueOr(request.getHeader(HttpHeaders.ACCEPT), "*/*");
    String token = request.getHeader(ConsistencyToken.HEADER);
    try {
      return ask(owned.active(), target, accept, token, false);
    } catch (IOException e) {
      log.warn("the owner {} of a queried key did not answer ({}); asking its standbys", owned.active(), e.toString());
    }
    for (HostInfo standby : owned.standbys()) {
      try {
        return ask(standby, target, accept, token, true);
      } catch (IOException e) {
        log.warn("the standby {} of a queried key did not answer either: {}", standby, e.toString());
      }
    }
    return unavailable("the instance holding this key (" + owned.active().host() + ":" + owned.active().port()
        + ") does not answer, and no standby copy does");
  }

  /**
   * {@code local}'s answer and each of {@code others}' answer to a GET of {@code target}, read
   * as {@code type}; null for an instance that did not answer {@code 200}.
   */
  public <T> List<T> askEach(T local, Collection<HostInfo> others, String target, Class<T> type) {
    List<T> answers = new ArrayList<>();
    answers.add(local);
    for (HostInfo other : others) {
      try {
        HttpResponse<byte[]> answer = get(other, target, "application/json", null, false);
        answers.add(answer.statusCode() == 200 ? Json.MAPPER.readValue(answer.body(), type) : null);
      } catch (IOException | JacksonException e) {
        answers.add(null);
      }
    }
    return answers;
  }

  /** A GET of {@code target} (path and query) on another instance, marked as forwarded. */
  public HttpResponse<byte[]> get(HostInfo instance, String target, String accept, String consistencyToken,
      boolean standby) throws IOException {
    return get(instance, target, accept, consistencyToken, standby, settings.forwardTimeout());
  }

  /** {@link #get(HostInfo, String, String, String, boolean)} with its own time limit (answers that take long to make). */
  public HttpResponse<byte[]> get(HostInfo instance, String target, String accept, String consistencyToken,
      boolean standby, Duration timeout) throws IOException {
    HttpRequest.Builder forwarded = request(instance, target, accept).timeout(timeout);
    if (standby) {
      forwarded.header(ServedRequest.READ_STANDBY, "true");
    }
    if (consistencyToken != null) {
      forwarded.header(ConsistencyToken.HEADER, consistencyToken);
    }
    return send(forwarded, HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * A GET of a streamed answer on another instance: returns once its headers arrived; the body
   * is read as it comes, with no time limit on the whole.
   */
  public HttpResponse<java.io.InputStream> open(HostInfo instance, String target, String accept) throws IOException {
    return send(request(instance, target, accept), HttpResponse.BodyHandlers.ofInputStream());
  }

  /**
   * A GET of {@code target} on {@code instance}, with the bearer token and trace of the request
   * being served: the instance asked decides what the caller may read, as this one would.
   */
  private HttpRequest.Builder request(HostInfo instance, String target, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + instance.host() + ":" + instance.port()
            + target))
        .header(FORWARDED_BY, settings.self().host() + ":" + settings.self().port())
        .header(HttpHeaders.ACCEPT, accept)
        .GET();
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
        && attributes.getRequest().getHeader(HttpHeaders.AUTHORIZATION) != null) {
      request.header(HttpHeaders.AUTHORIZATION, attributes.getRequest().getHeader(HttpHeaders.AUTHORIZATION));
    }
    // the forwarded read is a step of the caller's trace: the other instance makes it its child
    RequestTracing.current().ifPresent(span -> request.header(TraceParent.HEADER, span.header()));
    return request;
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws IOException {
    try {
      return http.send(request.build(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private ResponseEntity<Object> ask(HostInfo instance, String target, String accept, String token,
      boolean standby) throws IOException {
    HttpResponse<byte[]> answer = get(instance, target, accept, token, standby);
    ResponseEntity.BodyBuilder passed = ResponseEntity.status(answer.statusCode());
    for (String name : PASSED_ON) {
      answer.headers().firstValue(name).ifPresent(value -> passed.header(name, value));
    }
    if (answer.headers().firstValue(SERVED_BY).isEmpty()) {
      passed.header(SERVED_BY, instance.host() + ":" + instance.port());
    }
    return passed.body(answer.body());
  }

  public static ResponseEntity<Object> unavailable(String detail) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
        .body(ProblemType.NOT_READY.problem(detail));
  }

  private static String valueOr(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
