package dev.streamledger.system;

import static dev.streamledger.system.support.Http.awaitStatus;
import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Concurrently;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 1 (docs/guarantees.md#1-unique-usernames) end to end: all three services in-process on
 * the shared broker.
 */
class UsernameRegistrationIT extends FullStack {

  @Test
  void shouldGiveExactlyOne201To30ConcurrentClaimsOfOneNameInMixedCase() throws Exception {
    String name = unique("race");
    List<String> spellings = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      spellings.add(mixCase(name, i));
    }
    spellings.set(7, toFullwidth(name));          // a width variant joins the race too

    List<Http.Response> responses = Concurrently.send(spellings.size(),
        i -> Http.post(command + "/users", userJson(spellings.get(i))));

    Map<Integer, Long> byStatus = responses.stream()
        .collect(Collectors.groupingBy(Http.Response::status, Collectors.counting()));
    assertThat(byStatus).containsOnly(Map.entry(201, 1L), Map.entry(409, 29L));
    Http.Response winner = responses.stream().filter(r -> r.status() == 201).findFirst().orElseThrow();
    assertThat(winner.json().get("username").asString()).isEqualTo(name);
    assertThat(winner.header("Location")).isEqualTo(query + "/users/" + name);
    assertThat(responses).filteredOn(r -> r.status() == 409).allSatisfy(r -> {
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("type").asString()).isEqualTo("/problems/username-taken");
    });

    Http.Response view = awaitStatus(query + "/users/" + name, 200);
    assertThat(view.json().get("displayName").asString())
        .isEqualTo(winner.json().get("displayName").asString());
  }

  @Test
  void shouldLetTheNameBeClaimedAgainAfterDelete() {
    String name = unique("again");
    assertThat(Http.post(command + "/users", userJson(name)).status()).isEqualTo(201);
    assertThat(Http.post(command + "/users", userJson(name.toUpperCase())).status()).isEqualTo(409);

    assertThat(Http.delete(command + "/users/" + name.toUpperCase()).status()).isEqualTo(204);
    awaitStatus(query + "/users/" + name, 404);
    assertThat(Http.delete(command + "/users/" + name).status()).isEqualTo(404);

    Http.Response again = Http.post(command + "/users", "{\"username\":\"" + name + "\",\"displayName\":\"Second\"}");
    assertThat(again.status()).isEqualTo(201);
    assertThat(awaitStatus(query + "/users/" + name, 200).json().get("displayName").asString()).isEqualTo("Second");
  }

  @Test
  void shouldAnswerProblemsForBadInputOnBothServices() {
    Http.Response badName = Http.post(command + "/users", userJson("no spaces allowed"));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.contentType()).startsWith("application/problem+json");
    assertThat(Http.post(command + "/users", "{").status()).isEqualTo(400);
    assertThat(Http.get(query + "/users/x").status()).isEqualTo(400);
    Http.Response unknown = Http.get(query + "/users/" + unique("nobody"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("type").asString()).isEqualTo("/problems/not-found");
    assertThat(Http.get(query + "/nowhere").json().get("type").asString()).isEqualTo("/problems/not-found");
  }

  @Test
  void shouldServeTheOutcomeOfEveryRequestAtItsStatusUrl() {
    String name = unique("status");
    Http.Response created = Http.post(command + "/users", userJson(name));
    String requestId = created.json().get("requestId").asString();
    Http.Response status = awaitStatus(query + "/requests/" + requestId, 200);
    assertThat(status.json().get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(status.json().get("code").asString()).isEqualTo("user-registered");
  }

  private static String mixCase(String name, int seed) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(((seed >> (i % 5)) & 1) == 1 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  private static String toFullwidth(String name) {
    return name.chars().mapToObj(c -> c >= '!' && c <= '~' ? Character.toString(c + 0xFEE0) : Character.toString(c))
        .collect(Collectors.joining());
  }
}
