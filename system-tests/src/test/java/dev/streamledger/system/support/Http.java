package dev.streamledger.system.support;

import dev.streamledger.testsupport.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small blocking JSON-over-HTTP client for tests, as any API client would use it. Every request
 * carries the bearer token of {@value #TESTER}, an operator, unless it names its own
 * {@code Authorization} (an empty one: none at all). Users registered with it are bound to it.
 */
public final class Http {

  /** The subject of the tests' default token. */
  public static final String TESTER = "tester";

  /** Refuses a body with a member twice (which a lenient reader would take the last of). */
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  public record Response(int status, HttpResponse<String> raw) {

    public JsonNode json() {
      return raw.body() == null || raw.body().isEmpty() ? JSON.nullNode() : JSON.readTree(raw.body());
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }
  }

  /** Stands for "no Authorization header" until the request is sent. */
  private static final String NO_TOKEN = "streamledger-test-no-token";
  private static String testerToken;
  private static Instant testerTokenMinted = Instant.EPOCH;

  /** Polls {@code url} until it answers {@code expected} (30 s at most): a view catching up with a write. */
  public static Response awaitStatus(String url, int expected) {
    return Awaitility.await(url + " answering " + expected).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50)).until(() -> get(url), r -> r.status() == expected);
  }

  private Http() {}

  /** The tests' default token: an operator's, re-minted every half hour (it lives for one). */
  public static synchronized String testerToken() {
    if (testerTokenMinted.isBefore(Instant.now().minus(Duration.ofMinutes(30)))) {
      testerToken = DevTokens.forTests().token(TESTER, true);
      testerTokenMinted = Instant.now();
    }
    return testerToken;
  }

  /** The {@code Authorization} header of a token for {@code subject}. */
  public static Map<String, String> as(String subject, boolean operator) {
    return Map.of("Authorization", "Bearer " + DevTokens.forTests().token(subject, operator));
  }

  public static Response post(String url, String json) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A POST with extra request headers (e.g. {@code Idempotency-Key}). */
  public static Response post(String url, String json, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach((name, value) -> header(request, name, value));
    return send(request);
  }

  public static Response get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** A GET with extra request headers (e.g. {@code Consistency-Token}). */
  public static Response get(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach((name, value) -> header(request, name, value));
    return send(request);
  }

  public static Response delete(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
  }

  /** A DELETE with extra request headers (e.g. another subject's {@code Authorization}). */
  public static Response delete(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).DELETE();
    headers.forEach((name, value) -> header(request, name, value));
    return send(request);
  }

  /** Any request: {@code method}, {@code body} (or {@code null}) and headers, as a fuzzer or a careless client sends it. */
  public static Response request(String method, String url, HttpRequest.BodyPublisher body,
      Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
    headers.forEach((name, value) -> header(request, name, value));
    return send(request);
  }

  private static Response send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    if (built.headers().firstValue("Authorization").isEmpty()) {
      built = request.header("Authorization", "Bearer " + testerToken()).build();
    } else if (built.headers().firstValue("Authorization").get().equals(NO_TOKEN)) {
      built = HttpRequest.newBuilder(built, (name, value) -> !name.equalsIgnoreCase("Authorization")).build();
    }
    try {
      HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void header(HttpRequest.Builder request, String name, String value) {
    if (name.equalsIgnoreCase("Authorization") && value.isEmpty()) {
      request.header("Authorization", NO_TOKEN);
    } else {
      request.header(name, value);
    }
  }

  public static String userJson(String username) {
    return "{\"username\":\"" + username + "\"}";
  }
}
