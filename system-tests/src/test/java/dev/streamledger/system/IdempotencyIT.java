package dev.streamledger.system;

import static dev.streamledger.system.support.Http.userJson;
import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Concurrently;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Guarantee 4 (docs/guarantees.md#4-idempotent-retries): a request retried with the same {@code
 * Idempotency-Key} takes effect once and
 * gets the same answer (marked {@code Idempotent-Replayed}) — sent concurrently to two
 * command-service instances (a use while the first is undecided is {@code 409}, as the IETF draft
 * says), and again after the command service and the projector (with its local state lost) were
 * restarted.
 */
class IdempotencyIT {

  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.close();
  }

  @Test
  void shouldApplyConcurrentDuplicatesOnceAndAnswerThemAllAlike() {
    services.startProjector();
    String query = Services.url(services.startQueryService());
    String first = Services.url(services.startCommandService(query));
    String second = Services.url(services.startCommandService(query));
    String owner = unique("idem");
    assertThat(Http.post(first + "/users", userJson(owner)).status()).isEqualTo(201);
    Bank bank = new Bank(first, query, owner);
    String from = bank.open("EUR", "100.00");
    String to = bank.open("EUR", null);

    String transferKey = UUID.randomUUID().toString();
    String transfer = transferJson(from, to, "10.00");
    List<Http.Response> transfers = Concurrently.send(16,
        i -> Http.post((i % 2 == 0 ? first : second) + "/transfers", transfer, key(transferKey)));
    String depositKey = UUID.randomUUID().toString();
    List<Http.Response> deposits = Concurrently.send(8,
        i -> Http.post((i % 2 == 0 ? first : second) + "/accounts/" + from + "/deposits", "{\"amount\":\"5.00\"}",
            key(depositKey)));

    Http.Response transferred = assertDecidedOnceOrInUse(transfers, 201,
        () -> Http.post(second + "/transfers", transfer, key(transferKey)));
    assertDecidedOnceOrInUse(deposits, 201, () -> Http.post(first + "/accounts/" + from + "/deposits",
        "{\"amount\":\"5.00\"}", key(depositKey)));
    String transferId = transferred.json().get("transferId").asString();
    bank.awaitTotal(List.of(from, to), "105.00", Duration.ofSeconds(30));
    assertThat(Http.get(query + "/accounts/" + from).json().get("balance").asString()).isEqualTo("95.00");
    assertThat(bank.statement(from)).extracting(row -> row.get("kind").asString())
        .containsExactly("AccountOpened", "FundsDeposited", "TransferDebited", "FundsDeposited");
    assertThat(bank.statement(from).get(2).get("transferId").asString()).isEqualTo(transferId);
    bank.assertEveryTransferSettledOnce(List.of(from, to));

    Http.Response reused = Http.post(second + "/transfers", transferJson(from, to, "11.00"), key(transferKey));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().get("type").asString()).isEqualTo("/problems/idempotency-key-reused");
    assertThat(Http.get(query + "/accounts/" + from).json().get("version").asLong()).isEqualTo(4);
  }

  @Test
  void shouldAnswerRetriesAlikeAfterTheCommandServiceAndTheProjectorRestarted() throws IOException {
    Path stateDir = services.stateRoot().resolve("idempotency-projector");
    ConfigurableApplicationContext projector = services.startProjector(stateDir);
    String query = Services.url(services.startQueryService());
    ConfigurableApplicationContext commandService = services.startCommandService(query);
    String command = Services.url(commandService);
    String owner = unique("idem-restart");
    String userKey = UUID.randomUUID().toString();
    String accountKey = UUID.randomUUID().toString();
    String depositKey = UUID.randomUUID().toString();
    String transferKey = UUID.randomUUID().toString();
    String openJson = "{\"owner\":\"" + owner + "\",\"currency\":\"EUR\"}";

    Http.Response registered = Http.post(command + "/users", userJson(owner), key(userKey));
    Http.Response opened = Http.post(command + "/accounts", openJson, key(accountKey));
    String account = opened.json().get("accountId").asString();
    String deposit = "{\"amount\":\"50.00\"}";
    Http.Response deposited = Http.post(command + "/accounts/" + account + "/deposits", deposit, key(depositKey));
    String other = new Bank(command, query, owner).open("EUR", null);
    Http.Response transferred = Http.post(command + "/transfers", transferJson(account, other, "20.00"),
        key(transferKey));
    assertThat(List.of(registered, opened, deposited, transferred)).extracting(Http.Response::status)
        .containsOnly(201);

    services.stop(commandService);
    services.stop(projector);
    Services.deleteRecursively(stateDir);        // the keys are restored from the changelog
    services.startProjector(stateDir);
    command = Services.url(services.startCommandService(query));

    assertReplayOf(Http.post(command + "/users", userJson(owner), key(userKey)), registered);
    assertReplayOf(Http.post(command + "/accounts", openJson, key(accountKey)), opened);
    assertReplayOf(Http.post(command + "/accounts/" + account + "/deposits", deposit, key(depositKey)), deposited);
    assertReplayOf(Http.post(command + "/transfers", transferJson(account, other, "20.00"), key(transferKey)),
        transferred);
    Http.Response reused = Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"60.00\"}",
        key(depositKey));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().get("type").asString()).isEqualTo("/problems/idempotency-key-reused");

    JsonNode view = Http.get(query + "/accounts/" + account).json();
    assertThat(view.get("balance").asString()).isEqualTo("30.00");
    assertThat(view.get("version").asLong()).isEqualTo(3);   // opened, deposited, debited: once each
    assertThat(Http.get(query + "/users/" + owner).json().get("accountIds")).hasSize(2);
  }

  @Test
  void shouldAnswerAUseOnAnotherInstanceWhileTheFirstIsUndecidedWith409() throws Exception {
    Path stateDir = services.stateRoot().resolve("in-use-projector");
    ConfigurableApplicationContext projector = services.startProjector(stateDir);
    String query = Services.url(services.startQueryService());
    String first = Services.url(services.startCommandService(query));
    String second = Services.url(services.startCommandService(query));
    String owner = unique("in-use");
    assertThat(Http.post(first + "/users", userJson(owner)).status()).isEqualTo(201);
    String account = new Bank(first, query, owner).open("EUR", null);

    // with the projector stopped, the first uses are written and stay undecided
    services.stop(projector);
    // a user command: its key is remembered apart from the username (its answer may come from
    // another partition), so the first use is passed on and undecided when the second is read
    String claimKey = UUID.randomUUID().toString();
    String claimed = unique("in-use-claim");
    Http.Response claimPending = Http.post(first + "/users", userJson(claimed), withWait(key(claimKey), 0));
    assertThat(claimPending.status()).isEqualTo(202);
    CompletableFuture<Http.Response> claimRetry = CompletableFuture.supplyAsync(
        () -> Http.post(second + "/users", userJson(claimed), withWait(key(claimKey), 60)));
    // an account command: its key is remembered by the account, which decides the first use in
    // the step that reads it, so the second use, read after it, gets the first's answer
    String depositKey = UUID.randomUUID().toString();
    String deposit = "{\"amount\":\"3.00\"}";
    String deposits = "/accounts/" + account + "/deposits";
    Http.Response depositPending = Http.post(first + deposits, deposit, withWait(key(depositKey), 0));
    assertThat(depositPending.status()).isEqualTo(202);
    CompletableFuture<Http.Response> depositRetry = CompletableFuture.supplyAsync(
        () -> Http.post(second + deposits, deposit, withWait(key(depositKey), 60)));
    String claimRequest = claimPending.json().get("requestId").asString();
    String depositRequest = depositPending.json().get("requestId").asString();
    await("both retries' commands in the log").atMost(Duration.ofSeconds(20))
        .until(() -> usesInTheLog(Topics.IDEMPOTENT_COMMANDS, claimRequest, claimRequest) == 2
            && usesInTheLog(Topics.ACCOUNT_COMMANDS, account, depositRequest) == 2);
    services.startProjector(stateDir);

    Http.Response inUse = claimRetry.get(60, TimeUnit.SECONDS);
    assertThat(inUse.status()).as(inUse.raw().body()).isEqualTo(409);
    assertThat(inUse.json().get("type").asString()).isEqualTo("/problems/idempotency-key-in-use");
    assertThat(inUse.header("Retry-After")).isNotNull();
    // asked again once decided: the first use's answer, marked as a replay
    Http.Response replayed = await("the decision").atMost(Duration.ofSeconds(30))
        .until(() -> Http.post(second + "/users", userJson(claimed), key(claimKey)), answer -> answer.status() != 409);
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");

    Http.Response decided = depositRetry.get(60, TimeUnit.SECONDS);
    assertThat(decided.status()).as(decided.raw().body()).isEqualTo(201);
    assertThat(decided.json().get("requestId").asString()).isEqualTo(depositRequest);
    // the money moved once
    assertThat(decided.json().get("balance").asString()).isEqualTo("3.00");
    assertThat(decided.json().get("version").asLong()).isEqualTo(2);
    Http.Response again = Http.post(first + deposits, deposit, key(depositKey));
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json().get("version").asLong()).isEqualTo(2);
  }

  /** How many times {@code requestId} was sent: its records on the partition of {@code key} of {@code topic}. */
  private static long usesInTheLog(Topic<String, ?> topic, String key, String requestId) {
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      var partition = new TopicPartition(topic.name(), topic.partitionOf(key, KafkaSettings.DEFAULT_PARTITIONS));
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long uses = 0;
      while (consumer.position(partition) < end) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (requestId.equals(Headers.text(record.headers().lastHeader(Headers.REQUEST_ID)))) {
            uses++;
          }
        }
      }
      return uses;
    }
  }

  private static Map<String, String> withWait(Map<String, String> headers, int seconds) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Prefer", "wait=" + seconds);
    return all;
  }

  private static Map<String, String> key(String key) {
    return Map.of("Idempotency-Key", "\"" + key + "\"");
  }

  private static String transferJson(String from, String to, String amount) {
    return "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":\"" + amount + "\"}";
  }
  /**
   * Concurrent uses of one key, as the IETF draft says: each is answered with the decision (the
   * same answer every time), or {@code 409} {@code idempotency-key-in-use} with {@code Retry-After}
   * while the first is still being processed; retried afterwards, each gets the decision, marked
   * {@code Idempotent-Replayed: true}. Returns the decision.
   */
  private static Http.Response assertDecidedOnceOrInUse(List<Http.Response> answers, int status,
      Supplier<Http.Response> retry) {
    Http.Response decided = answers.stream().filter(answer -> answer.status() != 409).findFirst().orElseThrow();
    assertThat(decided.status()).as(decided.raw().body()).isEqualTo(status);
    for (Http.Response answer : answers) {
      if (answer.status() == 409) {
        assertThat(answer.json().get("type").asString()).isEqualTo("/problems/idempotency-key-in-use");
        assertThat(answer.header("Retry-After")).isNotNull();
      } else {
        assertAlike(answer, decided);
      }
    }
    Http.Response again = retry.get();
    assertAlike(again, decided);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    return decided;
  }

  /** The same answer, given again to a retry (and marked so). */
  private static void assertReplayOf(Http.Response answer, Http.Response original) {
    assertAlike(answer, original);
    assertThat(answer.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(original.header("Idempotent-Replayed")).isNull();
  }

  private static void assertAlike(Http.Response answer, Http.Response original) {
    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(original.status());
    assertThat(answer.json()).isEqualTo(original.json());
    assertThat(answer.header("Location")).isEqualTo(original.header("Location"));
  }
}
