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
