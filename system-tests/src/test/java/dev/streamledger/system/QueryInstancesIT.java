package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.testsupport.LoopbackPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two query-service instances share the views' partitions, and each answers every key: its own
 * from its stores, the other's by forwarding. When one stops, its keys move to the survivor,
 * and meanwhile the answer is {@code 503} — never a false {@code 404}.
 */
class QueryInstancesIT {

  private static final String SERVED_BY = "Streamledger-Served-By";

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  /** A projector, two query-service instances, a command service, and eight funded accounts of one owner. */
  private record Deployment(ConfigurableApplicationContext second, String a, String b, String owner, Bank bank,
      List<String> accounts, String command) {}

  private Deployment deploy(int standbyReplicas) {
    services.startProjector();
    ConfigurableApplicationContext first = services.startQueryService("query-a", LoopbackPorts.free(), standbyReplicas);
    ConfigurableApplicationContext second = services.startQueryService("query-b", LoopbackPorts.free(), standbyReplicas);
    String a = Services.url(first);
    String command = Services.url(services.startCommandService(a));
    String owner = unique("views");
    Bank bank = Bank.register(command, a, owner);
    return new Deployment(second, a, Services.url(second), owner, bank, bank.open(8, "EUR", "10.00"), command);
  }

  @Test
  void shouldAnswerEveryKeyOnEveryInstanceAndMoveAnswersToTheSurvivor() {
    Deployment deployment = deploy(0);
    String a = deployment.a();
    String b = deployment.b();
    String owner = deployment.owner();
    Bank bank = deployment.bank();
    List<String> accounts = new ArrayList<>(deployment.accounts());
    ConfigurableApplicationContext second = deployment.second();
    String transferId = bank.transfer(accounts.get(0), accounts.get(1), "1.00").json().get("transferId").asString();
    bank.awaitTotal(accounts, "80.00", Duration.ofSeconds(30));
    // the group has settled when each instance holds some of the account views and together all
    Map<String, Set<Integer>> held = awaitSettled(a, b);
    // each instance must own some of the accounts asked about, so that each has to forward some
    for (int opened = 0; !ownsOneOf(held.get(a), accounts) || !ownsOneOf(held.get(b), accounts); opened++) {
      assertThat(opened).as("accounts opened to find one on each instance's partitions").isLessThan(40);
      accounts.add(bank.open("EUR", "10.00"));
    }
    bank.awaitTotal(accounts, (10 * accounts.size()) + ".00", Duration.ofSeconds(30));
    List<String> paths = new ArrayList<>(List.of("/users/" + owner, "/transfers/" + transferId));
    for (String account : accounts) {
      paths.add("/accounts/" + account);
      paths.add("/accounts/" + account + "/statement");
    }

    Set<String> servedFromElsewhere = new HashSet<>();
    for (String path : paths) {
      Http.Response fromA = awaitAnswer(a + path);
      Http.Response fromB = awaitAnswer(b + path);
      assertThat(fromA.status()).as(path).isEqualTo(200);
      assertThat(fromB.json()).as(path).isEqualTo(fromA.json());
      if (fromA.header(SERVED_BY) != null) {
        servedFromElsewhere.add("a");
      }
      if (fromB.header(SERVED_BY) != null) {
        servedFromElsewhere.add("b");
      }
    }
    // both instances own some of these keys, so each had to forward some
    assertThat(servedFromElsewhere).containsExactlyInAnyOrder("a", "b");
    // the audit adds up both instances' partitions, whichever is asked
    JsonNode books = bank.awaitBalancedBooks("EUR");
    assertThat(new Bank(deployment.command(), b, owner).awaitBalancedBooks("EUR")).isEqualTo(books);

    services.stop(second);
    List<String> unexpected = new ArrayList<>();
    Awaitility.await("every key answered by the survivor").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> paths.stream().map(path -> Http.get(a + path)).peek(answer -> {
          if (answer.status() != 200 && answer.status() != 503) {
            unexpected.add(answer.status() + " " + answer.raw().body());
          }
        }).allMatch(answer -> answer.status() == 200));
    assertThat(unexpected).as("answers other than 200 and 503 while the views moved").isEmpty();
  }

  /**
   * Each instance's account-view partitions, once both hold some and together all, each exactly
   * once. Right after the second instance joins, the first may still hold everything (the
   * assignor moves a view only to an instance that has caught up with it).
   */
  private static Map<String, Set<Integer>> awaitSettled(String a, String b) {
    Map<String, Set<Integer>> held = new HashMap<>();
    Awaitility.await("both instances hold account views").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          for (String instance : List.of(a, b)) {
            Http.Response local = Http.get(instance + "/audit/local");
            if (local.status() != 200) {
              return false;
            }
            Set<Integer> partitions = new HashSet<>();
            local.json().get("partitions").forEach(partition -> partitions.add(partition.asInt()));
            held.put(instance, partitions);
          }
          Set<Integer> all = new HashSet<>(held.get(a));
          all.addAll(held.get(b));
          return !held.get(a).isEmpty() && !held.get(b).isEmpty()
              && all.size() == held.get(a).size() + held.get(b).size()
              && all.size() == KafkaSettings.DEFAULT_PARTITIONS;
        });
    return held;
  }

  private static boolean ownsOneOf(Set<Integer> partitions, List<String> accounts) {
    return accounts.stream().anyMatch(account ->
        partitions.contains(Topics.ACCOUNT_EVENTS.partitionOf(account, KafkaSettings.DEFAULT_PARTITIONS)));
  }

  @Test
  void shouldAnswerFromAStandbyCopySayingHowFarBehindWhenTheOwnerDoesNotAnswer() {
    Deployment deployment = deploy(1);
    String a = deployment.a();
    List<String> accounts = deployment.accounts();
    ConfigurableApplicationContext second = deployment.second();
    deployment.bank().awaitTotal(accounts, "80.00", Duration.ofSeconds(30));
    // the accounts whose partitions the second instance owns, as the first sees them now
    List<String> ownedBySecond = new ArrayList<>();
    for (String account : accounts) {
      Http.Response answer = awaitAnswer(a + "/accounts/" + account);
      if (answer.header(SERVED_BY) != null) {
        ownedBySecond.add(account);
      }
    }
    assertThat(ownedBySecond).isNotEmpty();
    Map<String, JsonNode> before = new HashMap<>();
    ownedBySecond.forEach(account -> before.put(account, awaitAnswer(a + "/accounts/" + account).json()));

    // the second instance's HTTP side goes away while its Streams side still owns the partitions
    ((WebServerApplicationContext) second).getWebServer().stop();

    for (String account : ownedBySecond) {
      Http.Response answer = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> Http.get(a + "/accounts/" + account), response -> response.status() != 503);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("Streamledger-Standby-Lag")).as("how far behind the copy may be").isNotNull();
      assertThat(answer.json()).isEqualTo(before.get(account));
    }
  }

  @Test
  void shouldReadItsOwnWritesOnEitherInstanceWithTheConsistencyToken() {
    Deployment deployment = deploy(0);
    List<String> accounts = deployment.accounts();
    deployment.bank().awaitTotal(accounts, "80.00", Duration.ofSeconds(30));
    int stale = 0;
    for (int i = 0; i < 150; i++) {
      String account = accounts.get(i % accounts.size());
      Http.Response deposit = Http.post(deployment.command() + "/accounts/" + account + "/deposits",
          "{\"amount\":\"1.00\"}");
      assertThat(deposit.status()).isEqualTo(201);
      String token = deposit.header("Consistency-Token");
      assertThat(token).isNotBlank();
      long version = deposit.json().get("version").asLong();
      for (String instance : List.of(deployment.a(), deployment.b())) {
        Http.Response read = awaitAnswer(instance + "/accounts/" + account, Map.of("Consistency-Token", token));
        assertThat(read.status()).as(read.raw().body()).isEqualTo(200);
        stale += read.json().get("version").asLong() < version ? 1 : 0;
      }
    }
    for (int i = 0; i < 40; i++) {
      String from = accounts.get(i % accounts.size());
      String to = accounts.get((i + 3) % accounts.size());
      Http.Response transfer = deployment.bank().transfer(from, to, "0.50");
      assertThat(transfer.status()).isEqualTo(201);
      String transferId = transfer.json().get("transferId").asString();
      String token = transfer.header("Consistency-Token");
      for (String instance : List.of(deployment.a(), deployment.b())) {
        for (String account : List.of(from, to)) {
          Http.Response statement = awaitAnswer(
              instance + "/accounts/" + account + "/statement?afterVersion=0&limit=500", Map.of("Consistency-Token", token));
          assertThat(statement.status()).isEqualTo(200);
          boolean seen = false;
          for (JsonNode row : statement.json().get("entries")) {
            seen |= transferId.equals(row.get("transferId").asString(null));
          }
          stale += seen ? 0 : 1;
        }
      }
    }
    for (int i = 0; i < 20; i++) {
      String user = unique("ryw");
      Http.Response registered = Http.post(deployment.command() + "/users", Http.userJson(user));
      assertThat(registered.status()).isEqualTo(201);
      Http.Response opened = Http.post(deployment.command() + "/accounts",
          "{\"owner\":\"" + user + "\",\"currency\":\"EUR\"}");
      assertThat(opened.status()).isEqualTo(201);
      String account = opened.json().get("accountId").asString();
      String other = unique("gone");
      assertThat(Http.post(deployment.command() + "/users", Http.userJson(other)).status()).isEqualTo(201);
      Http.Response deleted = Http.delete(deployment.command() + "/users/" + other);
      assertThat(deleted.status()).isEqualTo(204);
      for (String instance : List.of(deployment.a(), deployment.b())) {
        Http.Response read = awaitAnswer(instance + "/users/" + user,
            Map.of("Consistency-Token", registered.header("Consistency-Token")));
        stale += read.status() == 200 ? 0 : 1;
        read = awaitAnswer(instance + "/users/" + user, Map.of("Consistency-Token", opened.header("Consistency-Token")));
        stale += read.status() == 200 && read.json().toString().contains(account) ? 0 : 1;
        read = awaitAnswer(instance + "/users/" + other, Map.of("Consistency-Token", deleted.header("Consistency-Token")));
        stale += read.status() == 404 ? 0 : 1;
      }
    }
    assertThat(stale).as("reads that did not include their own write").isZero();
    Http.Response forged = Http.get(deployment.a() + "/accounts/" + accounts.get(0), Map.of("Consistency-Token", "x"));
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.json().get("type").asString()).isEqualTo("/problems/invalid-consistency-token");
  }

  /** The answer once the instance is past its start-up (503 while the views are not ready). */
  private static Http.Response awaitAnswer(String url) {
    return awaitAnswer(url, Map.of());
  }

  private static Http.Response awaitAnswer(String url, Map<String, String> headers) {
    return Awaitility.await(url).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> Http.get(url, headers), response -> response.status() != 503);
  }
}
