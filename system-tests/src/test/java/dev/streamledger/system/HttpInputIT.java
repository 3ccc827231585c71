package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 8 over HTTP (docs/guarantees.md#bad-http-requests): every kind of bad request gets its
 * documented status and problem type,
 * as {@code application/problem+json}, and changes nothing.
 */
class HttpInputIT extends FullStack {

  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
  private String account;
  private Bank bank;

  @BeforeAll
  void openAccount() {
    bank = Bank.register(command, query, unique("input"));
    account = bank.open("EUR", "10.00");
  }

  @Test
  void shouldAnswerEachBadRequestWithItsProblemType() {
    String deposits = command + "/accounts/" + account + "/deposits";
    assertProblem(post(command + "/users", "{\"username\":"), 400, "malformed-request");
    assertProblem(post(command + "/users", ""), 400, "malformed-request");
    assertProblem(post(command + "/users", "[1,2]"), 400, "malformed-request");
    assertProblem(post(command + "/users", "{\"username\":\"name-ok\",\"nickname\":\"y\"}"), 400, "unknown-field");
    assertProblem(post(command + "/users", "{\"username\":[\"a\"]}"), 400, "malformed-request");
    assertProblem(post(command + "/users", "{\"username\":\"a b\"}"), 400, "invalid-username");
    assertProblem(post(command + "/users", "{\"username\":\"ok-name\",\"displayName\":\"" + "d".repeat(65) + "\"}"),
        400, "invalid-display-name");
    assertProblem(Http.request("POST", command + "/users", BodyPublishers.ofString("username=x"),
        Map.of("Content-Type", "application/x-www-form-urlencoded")), 415, "unsupported-media-type");
    assertProblem(Http.request("PUT", command + "/users", BodyPublishers.ofString("{}"), JSON), 405,
        "method-not-allowed");
    assertProblem(Http.request("GET", command + "/nowhere", null, Map.of()), 404, "not-found");
    assertProblem(post(command + "/accounts", "{\"owner\":\"owner-ok\",\"currency\":\"XAU\"}"), 400, "invalid-currency");
    assertProblem(post(deposits, "{\"amount\":12.5}"), 400, "malformed-request");         // a JSON number
    assertProblem(post(deposits, "{\"amount\":\"1e3\"}"), 400, "invalid-amount");
    assertProblem(post(deposits, "{\"amount\":\"-1.00\"}"), 400, "invalid-amount");
    assertProblem(post(deposits, "{\"amount\":\"1.005\"}"), 422, "invalid-amount");        // EUR has 2 decimals
    assertProblem(post(command + "/accounts/NOT-A-UUID/deposits", "{\"amount\":\"1.00\"}"), 400, "invalid-account-id");
    assertProblem(Http.post(deposits, "{\"amount\":\"1.00\"}", Map.of("Idempotency-Key", "k".repeat(256))), 400,
        "invalid-idempotency-key");
    assertProblem(post(command + "/transfers", "{\"from\":\"" + account + "\",\"to\":\"" + account
        + "\",\"amount\":\"1.00\"}"), 422, "same-account");

    // a last good deposit on the same partition: once the view has it, it has everything before it
    assertThat(post(deposits, "{\"amount\":\"0.01\"}").status()).isEqualTo(201);
    await("the last deposit in the statement").atMost(Duration.ofSeconds(30))
        .until(() -> bank.statement(account), rows -> rows.size() >= 3);
    assertThat(bank.statement(account)).extracting(row -> row.get("amount").asString())
        .containsExactly("0.00", "10.00", "0.01");   // opened, funded, the last: nothing else happened
  }

  @Test
  void shouldRefuseBodiesOverTheLimitWithOrWithoutALength() {
    String big = "{\"username\":\"" + "x".repeat(20_000) + "\"}";
    assertProblem(post(command + "/users", big), 413, "content-too-large");
    // chunked: no Content-Length, the body is cut off at the limit while it is read
    byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
    assertProblem(Http.request("POST", command + "/users",
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), JSON), 413, "content-too-large");
  }

  /**
   * A body that comes slowly holds a connection, never a request thread (the command service has
   * 8): with three times as many bodies stalled part-way as there are threads — a third without a
   * token, a third chunked and stalled inside a chunk's size line — a deposit is still answered at
   * once; a stalled body finished late is handled as any other ({@code 201}, or {@code 401}
   * without a token); one never finished is answered {@code 408} (10 s after its headers). With
   * bodies read on the request threads, the deposit would wait for the stalled requests' read
   * timeouts, which answer them first; with a request refused before its body is read (no
   * token), Tomcat would read the rest of the body on the thread.
   */
  @Test
  void shouldReadSlowBodiesWithoutHoldingAThread() throws IOException {
    String deposit = "/accounts/" + bank.open("EUR", "1.00") + "/deposits";
    byte[] body = "{\"amount\":\"0.01\"}".getBytes(StandardCharsets.UTF_8);
    String token = "Authorization: Bearer " + Http.testerToken() + "\r\n";
    String length = "Content-Length: " + body.length + "\r\n";
    byte[] firstBytes = Arrays.copyOf(body, 5);
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 24; i++) {
        stalled.add(switch (i % 3) {
          case 0 -> send(deposit, token + length, firstBytes);
          case 1 -> send(deposit, length, firstBytes);
          default -> send(deposit, token + "Transfer-Encoding: chunked\r\n", "1".getBytes(StandardCharsets.US_ASCII));
        });
      }
      assertThat(post(command + deposit, "{\"amount\":\"0.01\"}").status()).isEqualTo(201);
      for (Socket socket : stalled) {
        assertThat(socket.getInputStream().available()).as("a stalled request answered before the deposit").isZero();
      }
      // the last ones stalled (the most time left before their 408): one with a token, one without
      Socket withToken = stalled.get(21);
      Socket without = stalled.get(22);
      withToken.getOutputStream().write(body, 5, body.length - 5);
      without.getOutputStream().write(body, 5, body.length - 5);
      assertThat(answer(withToken)).startsWith("HTTP/1.1 201");
      assertThat(answer(without)).startsWith("HTTP/1.1 401").contains("\"type\":\"/problems/unauthorized\"");
      for (Socket socket : stalled) {
        if (socket != withToken && socket != without) {
          assertThat(answer(socket)).startsWith("HTTP/1.1 408").contains("\"type\":\"/problems/request-timeout\"");
        }
      }
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  /** A socket that has sent a POST's request line, {@code headers} and the first bytes of its body. */
  private Socket send(String path, String headers, byte[] first) throws IOException {
    URI server = URI.create(command);
    Socket socket = new Socket(server.getHost(), server.getPort());
    socket.setSoTimeout(30_000);
    String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
        + "Connection: close\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().write(first);
    socket.getOutputStream().flush();
    return socket;
  }

  /** Everything the server answers on {@code socket} until it closes the connection. */
  private static String answer(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Refused by Tomcat before Spring sees them, and still answered as problems, not HTML pages. */
  @Test
  void shouldAnswerWhatTheServerRefusesItselfAsProblems() {
    for (String service : new String[] {command, query}) {
      assertProblem(Http.request("POST", service + "/users", BodyPublishers.ofString("{}"),
          Map.of("Content-Type", "application/json", "X-Padding", "p".repeat(10_000))), 400, "malformed-request");
      assertProblem(Http.request("GET", service + "/users/a%00b", null, Map.of()), 400, "malformed-request");
      String raw = rawAnswer(URI.create(service), "GET /users/{a} HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(raw).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
          .contains("\"type\":\"/problems/malformed-request\"").doesNotContain("<html");
    }
  }

  /** What the server answers to {@code request}, sent as is (no client would send a request line Tomcat refuses). */
  private static String rawAnswer(URI server, String request) {
    try (Socket socket = new Socket(server.getHost(), server.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Http.Response post(String url, String body) {
    return Http.request("POST", url, BodyPublishers.ofString(body), JSON);
  }

  private static void assertProblem(Http.Response answer, int status, String type) {
    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("type").asString()).isEqualTo("/problems/" + type);
    assertThat(answer.json().get("status").asInt()).isEqualTo(status);
    assertThat(answer.raw().body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
