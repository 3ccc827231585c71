package dev.streamledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamledger.contract.web.LogEvents;
import dev.streamledger.testsupport.DevTokens;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The backend-for-frontend over real HTTP: sessions, CSRF, the development sign-in, and what is
 * passed on to the services (here one JDK HTTP server standing in for both, recording what it got).
 */
@SpringBootTest(classes = ConsoleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.config.name=console")
class ConsoleTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BlockingQueue<HttpExchangeCopy> RECEIVED = new LinkedBlockingQueue<>();
  private static final CountDownLatch FEED_MAY_END = new CountDownLatch(1);
  private static final HttpServer UPSTREAM = upstream();

  @LocalServerPort
  int port;

  private CookieManager cookies;
  private HttpClient browser;

  /** What the stand-in service received. */
  record HttpExchangeCopy(String method, String path, Map<String, String> headers, String body) {}

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    String upstream = "http://127.0.0.1:" + UPSTREAM.getAddress().getPort();
    registry.add("streamledger.console.command-url", () -> upstream);
    registry.add("streamledger.console.query-url", () -> upstream);
    registry.add("streamledger.console.dev-sign-in-key", () -> DevTokens.forTests().privateKeyLocation());
    registry.add("server.port", () -> "0");
  }

  @AfterAll
  static void stop() {
    FEED_MAY_END.countDown();
    UPSTREAM.stop(0);
  }

  @BeforeEach
  void newBrowser() {
    cookies = new CookieManager();
    browser = HttpClient.newBuilder().cookieHandler(cookies).build();
    RECEIVED.clear();
  }

  /**
   * {@code logback.events} is counted by {@link LogEvents} alone: with Micrometer's binder back
   * (its exclusion in streamledger-common.yml lost), every event would be counted twice and every
   * switched-off log call would pass its turbo filter again (docs/performance.md, change 13).
   */
  @Test
  void shouldCountLogEventsWithTheAppenderAndNoTurboFilter(ApplicationContext context) {
    assertThat(context.getBeansOfType(LogEvents.class)).hasSize(1);
    assertThat(context.getBeansOfType(LogbackMetrics.class)).isEmpty();
    assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList()).isEmpty();
  }

  @Test
  void shouldAnswerApiCallsOfNoSessionWith401ProblemJson() throws Exception {
    HttpResponse<String> answer = send("GET", "/api/query/users/alice", null, Map.of());
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(answer.body()).get("type").asString()).endsWith("/unauthorized");
    assertThat(RECEIVED).isEmpty();
  }

  @Test
  void shouldRefuseASignInWithoutTheCsrfTokenAndAcceptItWithTheToken() throws Exception {
    JsonNode session = JSON.readTree(send("GET", "/auth/session", null, Map.of()).body());
    assertThat(session.get("caller").isNull()).isTrue();
    assertThat(session.get("devSignIn").asBoolean()).isTrue();

    HttpResponse<String> forged = send("POST", "/auth/dev-sign-in", "{\"username\":\"alice\"}", Map.of());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("CSRF");

    String before = sessionId();
    HttpResponse<String> signedIn = signIn("alice", false);
    assertThat(signedIn.statusCode()).isEqualTo(200);
    assertThat(sessionId()).as("a new session id after signing in").isNotEqualTo(before);
    assertThat(cookie("STREAMLEDGER_CONSOLE").isHttpOnly()).isTrue();
    JsonNode caller = JSON.readTree(send("GET", "/auth/session", null, Map.of()).body()).get("caller");
    assertThat(caller.get("subject").asString()).isEqualTo("alice");
    assertThat(caller.get("operator").asBoolean()).isFalse();
  }

  @Test
  void shouldPassRequestsOnWithTheSessionsTokenAndTheApiHeadersOnly() throws Exception {
    signIn("bob", true);
    HttpResponse<String> answer = send("POST", "/api/command/transfers", "{\"amount\":\"1.00\"}",
        Map.of("Idempotency-Key", "k-1", "Content-Type", "application/json", "X-Secret", "not passed",
            "X-XSRF-TOKEN", csrf()));
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().firstValue("Streamledger-Position")).hasValue("t:0:7");
    assertThat(answer.headers().firstValue("X-Upstream-Only")).isEmpty();
    HttpExchangeCopy got = RECEIVED.poll(5, TimeUnit.SECONDS);
    assertThat(got.path()).isEqualTo("/transfers");
    assertThat(got.body()).isEqualTo("{\"amount\":\"1.00\"}");
    assertThat(got.headers()).containsEntry("idempotency-key", "k-1").doesNotContainKey("x-secret")
        .doesNotContainKey("cookie").doesNotContainKey("x-xsrf-token");
    JsonNode claims = claims(got.headers().get("authorization"));
    assertThat(claims.get("sub").asString()).isEqualTo("bob");
    assertThat(claims.get("iss").asString()).isEqualTo("streamledger-dev");
    assertThat(claims.get("roles").get(0).asString()).isEqualTo("operator");
  }

  @Test
  void shouldPassOnlyTheApisPaths() throws Exception {
    signIn("carol", false);
    for (String path : new String[] {"/api/query/actuator/env", "/api/query/users/../actuator", "/api/query/",
        "/api/command/audit", "/api/query/users/a%2F..%2Factuator", "/api/query/users/%2e%2e", "/api/command",
        "/api/comm%61nd/users", "/api/query/users/a%5c..%5cactuator"}) {
      HttpResponse<String> answer = send("GET", path, null, Map.of());
      assertThat(answer.statusCode()).as(path).isIn(400, 404);
    }
    assertThat(RECEIVED).isEmpty();
  }

  @Test
  void shouldRefuseABodyOver64KiBBeforePassingIt() throws Exception {
    signIn("erin", false);
    HttpResponse<String> answer = send("POST", "/api/command/users", "{\"x\":\"" + "y".repeat(70_000) + "\"}",
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", csrf()));
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(RECEIVED).isEmpty();
  }

  @Test
  void shouldCarryNothingOfAnEarlierSignInIntoTheNext() throws Exception {
    signIn("frank", true);
    send("GET", "/api/query/users/frank", null, Map.of());
    assertThat(claims(RECEIVED.poll(5, TimeUnit.SECONDS).headers().get("authorization")).has("roles")).isTrue();
    signIn("grace", false);
    send("GET", "/api/query/users/grace", null, Map.of());
    JsonNode claims = claims(RECEIVED.poll(5, TimeUnit.SECONDS).headers().get("authorization"));
    assertThat(claims.get("sub").asString()).isEqualTo("grace");
    assertThat(claims.has("roles")).isFalse();
  }

  @Test
  void shouldStreamAChangeFeedEventByEvent() throws Exception {
    signIn("dave", false);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query/accounts/a1/events?after=3"))
        .header("Accept", "text/event-stream").header("Last-Event-ID", "3").build();
    HttpResponse<InputStream> feed = browser.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(feed.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(feed.body(), StandardCharsets.UTF_8))) {
      // the stand-in writes one event and then holds the stream open: it arrives before the end
      assertThat(lines.readLine()).isEqualTo("id: 4");
    }
    assertThat(RECEIVED.poll(5, TimeUnit.SECONDS).headers()).containsEntry("last-event-id", "3");
  }

  @Test
  void shouldSetAPolicyThatLetsThePageTalkOnlyToItsOwnOrigin() throws Exception {
    HttpResponse<String> page = send("GET", "/", null, Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
  }

  private HttpResponse<String> signIn(String username, boolean operator) throws Exception {
    send("GET", "/auth/session", null, Map.of());
    return send("POST", "/auth/dev-sign-in", "{\"username\":\"" + username + "\",\"operator\":" + operator + "}",
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", csrf()));
  }

  private String csrf() {
    return cookie("XSRF-TOKEN").getValue();
  }

  private String sessionId() {
    HttpCookie session = cookie("STREAMLEDGER_CONSOLE");
    return session == null ? null : session.getValue();
  }

  private HttpCookie cookie(String name) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
  }

  private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode claims(String authorization) {
    String jwt = authorization.substring("Bearer ".length());
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  private static HttpServer upstream() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", ConsoleTest::answer);
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void answer(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new java.util.TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    RECEIVED.add(new HttpExchangeCopy(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
    if (exchange.getRequestURI().getPath().endsWith("/events")) {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write("id: 4\nevent: FundsDeposited\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        FEED_MAY_END.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Streamledger-Position", "t:0:7");
    exchange.getResponseHeaders().add("X-Upstream-Only", "not passed back");
    byte[] answer = "{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(201, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }
}
