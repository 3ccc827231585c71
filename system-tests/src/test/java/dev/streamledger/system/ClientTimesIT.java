package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The three timestamps: a client's device says when it created and sent a request, by its own
 * clock; the statement shows when the request was made on the server's clock
 * ({@code created + (received − sent)}), whatever the device's clock offset.
 */
class ClientTimesIT extends FullStack {

  private static final String DEPOSIT = "{\"amount\":\"1.00\"}";

  @Test
  void shouldCorrectTheTimesOfDevicesAnHourBehindAndADayAhead() {
    Bank bank = Bank.register(command, query, unique("clock"));
    String account = bank.open("EUR", null);

    // an hour behind, created 30 s before it was sent (it waited in an offline queue)
    Instant behindBefore = Instant.now();
    Instant behindSent = behindBefore.minus(Duration.ofHours(1));
    deposit(account, behindSent.minusSeconds(30), behindSent);
    Instant behindAfter = Instant.now();
    // a day ahead, created 5 minutes before it was sent
    Instant aheadBefore = Instant.now();
    Instant aheadSent = aheadBefore.plus(Duration.ofDays(1));
    deposit(account, aheadSent.minus(Duration.ofMinutes(5)), aheadSent);
    Instant aheadAfter = Instant.now();

    // the view folds the deposits a moment after their answers
    List<JsonNode> statement = await("both deposits in the statement").atMost(Duration.ofSeconds(30))
        .ignoreExceptions().until(() -> bank.statement(account), rows -> rows.size() == 3);
    assertThat(occurredAt(statement.get(1)))
        .isBetween(behindBefore.minusSeconds(30), behindAfter.minusSeconds(30));
    assertThat(occurredAt(statement.get(2)))
        .isBetween(aheadBefore.minus(Duration.ofMinutes(5)), aheadAfter.minus(Duration.ofMinutes(5)));
    // the Kafka record of each event is stamped when the projector wrote it, by the server's clock
    assertThat(Instant.parse(statement.get(2).get("recordedAt").asString())).isAfterOrEqualTo(aheadBefore);
  }

  @Test
  void shouldRefuseClientTimesThatAreNotRfc3339OrOutOfBoundsAndChangeNothing() {
    Bank bank = Bank.register(command, query, unique("clock-bad"));
    String account = bank.open("EUR", null);
    Instant now = Instant.now();

    List<Map<String, String>> refused = List.of(
        Map.of("Client-Sent-At", "yesterday"),
        Map.of("Client-Created-At", "2026-11-26 10:00"),
        Map.of("Client-Created-At", now.toString(), "Client-Sent-At", now.minusSeconds(1).toString()),
        Map.of("Client-Created-At", now.minus(Duration.ofDays(31)).toString(), "Client-Sent-At", now.toString()));
    for (Map<String, String> headers : refused) {
      Http.Response answer = Http.post(command + "/accounts/" + account + "/deposits", DEPOSIT, headers);
      assertThat(answer.status()).as(headers.toString()).isEqualTo(400);
      assertThat(answer.json().get("type").asString()).isEqualTo("/problems/invalid-client-time");
    }
    // an offset in place of Z is RFC 3339 too
    Http.Response offset = Http.post(command + "/accounts/" + account + "/deposits", DEPOSIT,
        Map.of("Client-Created-At", "2026-11-26T10:00:00+01:00", "Client-Sent-At", "2026-11-26T10:00:05+01:00"));
    assertThat(offset.status()).isEqualTo(201);
    assertThat(offset.json().get("version").asLong()).isEqualTo(2);   // the refused ones changed nothing
  }

  private void deposit(String account, Instant created, Instant sent) {
    Http.Response answer = Http.post(command + "/accounts/" + account + "/deposits", DEPOSIT,
        Map.of("Client-Created-At", created.toString(), "Client-Sent-At", sent.toString()));
    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201);
  }

  private static Instant occurredAt(JsonNode entry) {
    return Instant.parse(entry.get("occurredAt").asString());
  }
}
