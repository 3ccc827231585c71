package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.EventStream.Event;
import dev.streamledger.system.support.EventStream;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.testsupport.LoopbackPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /accounts/{id}/events}: each account's events as Server-Sent Events, history then
 * live, resumed after {@code Last-Event-ID} on either of two query-service instances with no gap
 * and no duplicate; idle feeds get heartbeats; feeds beyond the limit are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeFeedIT {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_FEEDS = 3;

  private final Services services = new Services();
  private String a;
  private String b;
  private String command;
  private Bank bank;

  @BeforeAll
  void deploy() {
    services.startProjector();
    Map<String, String> feeds = Map.of("streamledger.query.feeds.heartbeat", "300ms",
        "streamledger.query.feeds.max", Integer.toString(MAX_FEEDS));
    a = Services.url(services.startQueryService("query-a", LoopbackPorts.free(), 0, feeds));
    b = Services.url(services.startQueryService("query-b", LoopbackPorts.free(), 0, feeds));
    command = Services.url(services.startCommandService(a));
    String owner = unique("feeds");
    assertThat(Http.post(command + "/users", userJson(owner)).status()).isEqualTo(201);
    bank = new Bank(command, a, owner);
  }

  @AfterAll
  void stop() {
    services.close();
  }

  @Test
  void shouldStreamEveryEventOnceAcrossReconnectsToEitherInstance() {
    // four accounts: each instance holds some, so each instance serves feeds it holds and feeds it does not
    for (int i = 0; i < 4; i++) {
      String account = bank.open("EUR", "1.00");
      // the views fold the opening a moment after its 201: until then the feed is a 404, as the account is
      bank.awaitTotal(List.of(account), "1.00", WITHIN);
      String first = i % 2 == 0 ? a : b;
      String second = i % 2 == 0 ? b : a;
      List<Event> received = new ArrayList<>();
      try (EventStream feed = EventStream.openWhenReady(first + "/accounts/" + account + "/events", Map.of(), WITHIN)) {
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.header("Content-Type")).startsWith("text/event-stream");
        received.addAll(feed.nextEvents(2, WITHIN)); // history: opened, deposited
        deposit(account, 3);
        received.addAll(feed.nextEvents(3, WITHIN)); // live
      }
      deposit(account, 2); // while no one listens
      try (EventStream feed = EventStream.openWhenReady(second + "/accounts/" + account + "/events",
          Map.of("Last-Event-ID", "5"), WITHIN)) {
        received.addAll(feed.nextEvents(2, WITHIN)); // missed while away
        deposit(account, 1);
        received.addAll(feed.nextEvents(1, WITHIN)); // live again
        // caught up and idle: heartbeats only, no event twice
        Event idle = feed.next(WITHIN);
        assertThat(idle).isNotNull();
        assertThat(idle.event()).isEqualTo(":comment");
        assertThat(idle.data()).isEqualTo("heartbeat");
      }
      assertThat(received).extracting(Event::id)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 8).mapToObj(Long::toString).toList());
      List<JsonNode> statement = bank.statement(account);
      assertThat(received).extracting(event -> JSON.readTree(event.data())).containsExactlyElementsOf(statement);
      assertThat(received).extracting(Event::event).first().isEqualTo("AccountOpened");
      assertThat(received).extracting(Event::event).last().isEqualTo("FundsDeposited");
    }
  }

  @Test
  void shouldRefuseUnknownAccountsBadPositionsAndFeedsBeyondTheLimit() {
    awaitNoFeedOpen(a); // feeds another test closed are noticed at their next heartbeat
    String account = bank.open("EUR", null);
    Http.Response unknown = Awaitility.await().atMost(WITHIN)
        .until(() -> Http.get(a + "/accounts/no-such-account/events"), answer -> answer.status() != 503);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    Http.Response badPosition = Http.get(b + "/accounts/" + account + "/events", Map.of("Last-Event-ID", "seven"));
    assertThat(badPosition.status()).isEqualTo(400);
    assertThat(badPosition.contentType()).startsWith("application/problem+json");

    List<EventStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_FEEDS; i++) {
        EventStream feed = EventStream.openWhenReady(a + "/accounts/" + account + "/events", Map.of(), WITHIN);
        open.add(feed);
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.nextEvents(1, WITHIN)).extracting(Event::id).containsExactly("1");
      }
      Http.Response refused = Http.get(a + "/accounts/" + account + "/events");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isNotNull();
      assertThat(refused.json().get("detail").asString()).contains("change feeds open");
      // the limit is per instance
      try (EventStream other = EventStream.openWhenReady(b + "/accounts/" + account + "/events", Map.of(), WITHIN)) {
        assertThat(other.status()).isEqualTo(200);
      }
    } finally {
      open.forEach(EventStream::close);
    }
    // closed feeds give their places back (noticed at the next heartbeat)
    awaitNoFeedOpen(a);
    try (EventStream again = EventStream.openWhenReady(a + "/accounts/" + account + "/events", Map.of(), WITHIN)) {
      assertThat(again.status()).isEqualTo(200);
    }
  }

  private static void awaitNoFeedOpen(String instance) {
    Awaitility.await().atMost(WITHIN).until(() -> Http.get(instance + "/actuator/metrics/streamledger.query.feeds.open")
        .json().at("/measurements/0/value").asDouble() == 0.0);
  }

  private void deposit(String account, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"1.00\"}").status())
          .isEqualTo(201);
    }
  }
}
