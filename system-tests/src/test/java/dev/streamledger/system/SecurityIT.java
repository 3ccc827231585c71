package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.streamledger.contract.account.AccountEvent;
import dev.streamledger.contract.account.OpenedAccount;
import dev.streamledger.contract.outcome.Outcome;
import dev.streamledger.contract.outcome.OutcomeCode.Accepted;
import dev.streamledger.contract.outcome.OutcomeData;
import dev.streamledger.contract.time.RequestTimes;
import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.DeadLetterTopic;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.testsupport.DevTokens;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what, on the running services: no token is a {@code 401}; only the subject a user is
 * bound to moves its money ({@code 403} otherwise, counted) or reads its data (another's is
 * answered as a missing one: {@code 404}, counted); only operators
 * deposit and read whole views; and a forged command on the Kafka command topic — another
 * user's account as source, a tampered, foreign or expired token, a stage without the projector's
 * seal — changes nothing.
 */
class SecurityIT extends FullStack {

  private String alice;
  private String mallory;
  private String bob;
  private Map<String, String> asAlice;
  private Map<String, String> asMallory;
  private Map<String, String> asBob;
  private Bank aliceBank;
  private Bank malloryBank;
  private String aliceAccount;
  private String malloryAccount;
  private String bobAccount;

  @BeforeAll
  void registerThreeUsers() {
    alice = unique("alice");
    mallory = unique("mallory");
    bob = unique("bob");
    asAlice = Http.as(alice, false);
    asMallory = Http.as(mallory, false);
    asBob = Http.as(bob, false);
    aliceBank = Bank.register(command, query, alice, asAlice);
    malloryBank = Bank.register(command, query, mallory, asMallory);
    aliceAccount = aliceBank.open("EUR", "10.00");
    malloryAccount = malloryBank.open("EUR", null);
    bobAccount = Bank.register(command, query, bob, asBob).open("EUR", null);
  }

  @Test
  void shouldAnswer401WithoutAValidTokenAndKeepHealthAndDocumentsOpen() {
    var none = Map.of("Authorization", "");
    Instant now = Instant.now();
    var expired = Map.of("Authorization", "Bearer " + DevTokens.forTests().token(alice, false,
        now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))));
    var tampered = Map.of("Authorization", "Bearer " + tamper(asMallory.get("Authorization").substring(7), alice));

    for (var headers : List.of(none, expired, tampered)) {
      Http.Response refused = Http.post(command + "/accounts/" + aliceAccount + "/withdrawals",
          "{\"amount\":\"1.00\"}", headers);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.json().get("type").asString()).isEqualTo("/problems/unauthorized");
      assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(Http.get(query + "/accounts/" + aliceAccount, headers).status()).isEqualTo(401);
    }
    for (String service : List.of(command, query)) {
      assertThat(Http.get(service + "/actuator/health/readiness", none).status()).isEqualTo(200);
      assertThat(Http.get(service + "/v3/api-docs", none).status()).isEqualTo(200);
      assertThat(Http.get(service + "/actuator/metrics", asAlice).status()).as("metrics: operators").isEqualTo(403);
    }
    assertThat(balance(aliceAccount)).isEqualTo("10.00");
  }

  @Test
  void shouldLetOnlyTheOwnerMoveMoneyThroughRest() {
    double deniedBefore = denied();

    assertForbidden(Http.post(command + "/accounts/" + aliceAccount + "/withdrawals", "{\"amount\":\"1.00\"}",
        asMallory));
    assertForbidden(Http.post(command + "/transfers", "{\"from\":\"" + aliceAccount + "\",\"to\":\"" + malloryAccount
        + "\",\"amount\":\"5.00\"}", asMallory));
    assertForbidden(Http.post(command + "/accounts", "{\"owner\":\"" + alice + "\",\"currency\":\"EUR\"}", asMallory));
    assertForbidden(Http.delete(command + "/users/" + alice, asMallory));
    assertForbidden(Http.post(command + "/accounts/" + malloryAccount + "/deposits", "{\"amount\":\"1000.00\"}",
        asMallory));

    assertThat(balance(aliceAccount)).isEqualTo("10.00");
    assertThat(balance(malloryAccount)).isEqualTo("0.00");
    assertThat(denied() - deniedBefore).as("denials counted").isGreaterThanOrEqualTo(5);
    // the owner still can
    assertThat(Http.post(command + "/accounts/" + aliceAccount + "/withdrawals", "{\"amount\":\"1.00\"}", asAlice)
        .status()).isEqualTo(201);
    assertThat(Http.post(command + "/accounts/" + aliceAccount + "/deposits", "{\"amount\":\"1.00\"}").status())
        .as("an operator deposits").isEqualTo(201);
  }

  @Test
  void shouldKeepEachSubjectsIdempotencyKeysApart() {
    String key = UUID.randomUUID().toString();
    var withKey = new HashMap<>(asBob);
    withKey.put("Idempotency-Key", key);
    var malloryWithKey = new HashMap<>(asMallory);
    malloryWithKey.put("Idempotency-Key", key);

    assertThat(Http.post(command + "/accounts", "{\"owner\":\"" + bob + "\",\"currency\":\"EUR\"}", withKey).status())
        .isEqualTo(201);
    // the same key from another subject is another request, not a reuse of bob's key
    assertThat(Http.post(command + "/accounts", "{\"owner\":\"" + mallory + "\",\"currency\":\"EUR\"}",
        malloryWithKey).status()).isEqualTo(201);
  }

  @Test
  void shouldShowAUserOnlyTheirOwnDataAndTheRecipientTheTransfer() {
    Http.Response sent = Http.post(command + "/transfers", "{\"from\":\"" + aliceAccount + "\",\"to\":\"" + bobAccount
        + "\",\"amount\":\"0.50\"}", asAlice);
    assertThat(sent.status()).isEqualTo(201);
    String transfer = query + "/transfers/" + sent.json().get("transferId").asString();

    await("the transfer in the view").atMost(Duration.ofSeconds(30))
        .until(() -> Http.get(transfer, asAlice).status() == 200);
    assertThat(Http.get(transfer, asBob).status()).as("the recipient").isEqualTo(200);
    // what mallory may not read is answered as what does not exist: she learns nothing of it
    String missing = UUID.randomUUID().toString();
    assertHiddenAsMissing(Http.get(transfer, asMallory), Http.get(query + "/transfers/" + missing, asMallory));
    assertHiddenAsMissing(Http.get(query + "/users/" + alice, asMallory),
        Http.get(query + "/users/" + unique("nobody"), asMallory));
    // a request's outcome: its sender's (and operators'), not the recipient's nor anyone else's
    String request = query + "/requests/" + sent.json().get("requestId").asString();
    await("the outcome in the view").atMost(Duration.ofSeconds(30))
        .until(() -> Http.get(request, asAlice).status() == 200);
    assertHiddenAsMissing(Http.get(request, asMallory), Http.get(query + "/requests/" + missing, asMallory));
    assertHiddenAsMissing(Http.get(request, asBob), Http.get(query + "/requests/" + missing, asBob));
    for (String view : List.of("", "/statement", "/events")) {
      assertHiddenAsMissing(Http.get(query + "/accounts/" + aliceAccount + view, asMallory),
          Http.get(query + "/accounts/" + missing + view, asMallory));
    }
    assertForbidden(Http.get(query + "/audit", asMallory));
    assertForbidden(Http.get(query + "/snapshots/accounts", asMallory));
    assertThat(Http.get(query + "/users/" + alice, asAlice).status()).isEqualTo(200);
    assertThat(Http.get(query + "/accounts/" + aliceAccount + "/statement", asAlice).status()).isEqualTo(200);
    assertThat(Http.get(query + "/audit").status()).as("an operator").isEqualTo(200);
  }

  @Test
  void shouldRefuseForgedCommandsOnTheKafkaTopicWithoutEffect() throws Exception {
    String aliceAccount = aliceBank.open("EUR", "10.00");
    String malloryAccount = malloryBank.open("EUR", null);
    String ownToken = asMallory.get("Authorization").substring(7);
    Instant now = Instant.now();
    String expired = DevTokens.forTests().token(alice, false, now.minus(Duration.ofHours(2)),
        now.minus(Duration.ofHours(1)));
    String marker = "forged-" + UUID.randomUUID();
    Map<String, String> forged = new HashMap<>();
    forged.put("not authentic", command("Withdraw", aliceAccount, marker + "-none", null));
    forged.put("expired", command("Withdraw", aliceAccount, marker + "-expired", expired));
    forged.put("refused", command("Withdraw", aliceAccount, marker + "-tampered", tamper(ownToken, alice)));
    forged.put("seal", "{\"schemaVersion\":2,\"type\":\"CreditForTransfer\",\"requestId\":\"" + marker + "-credit\","
        + "\"transferId\":\"" + marker + "\",\"accountId\":\"" + malloryAccount + "\",\"from\":\"" + aliceAccount
        + "\",\"amount\":\"9.00\",\"currency\":\"EUR\",\"settled\":true,\"times\":{\"receivedAt\":\"" + now + "\"}}");
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new StringSerializer(), new StringSerializer())) {
      for (var entry : forged.entrySet()) {
        String key = entry.getKey().equals("seal") ? malloryAccount : aliceAccount;
        producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS.name(), key, entry.getValue())).get();
      }
      // a valid token of mallory's own, on alice's account: decided, and refused
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS.name(), aliceAccount,
          command("Withdraw", aliceAccount, marker + "-foreign-account", ownToken))).get();
    }

    var parked = DeadLetterTopic.read(Duration.ofSeconds(30), forged.size(), record -> record.value() != null
        && new String(record.value(), StandardCharsets.UTF_8).contains(marker));
    assertThat(parked).hasSize(forged.size()).allSatisfy(record -> assertThat(
        Headers.text(record.headers().lastHeader(Headers.DLT_REASON))).startsWith("not authentic"));
    await("the refusal of mallory's own command").atMost(Duration.ofSeconds(30)).until(() ->
        Http.get(query + "/requests/" + marker + "-foreign-account").status() == 200);
    assertThat(Http.get(query + "/requests/" + marker + "-foreign-account").json().get("code").asString())
        .isEqualTo("forbidden");
    assertThat(balance(aliceAccount)).isEqualTo("10.00");
    assertThat(balance(malloryAccount)).isEqualTo("0.00");
  }

  /**
   * A producer that may write the topics only the projector writes (here: no ACLs; in production
   * a stolen projector identity or a Kafka super user) but holds none of the projector's seal
   * keys can forge no balance, no answer and no directory entry: each service acts only on
   * records the projector sealed for it.
   */
  @Test
  void shouldActOnNoRecordThatTheProjectorDidNotSeal() throws Exception {
    String source = aliceBank.open("EUR", "10.00");
    String target = malloryBank.open("EUR", null);
    String ghost = UUID.randomUUID().toString();
    String marker = "forged-" + UUID.randomUUID();
    Instant now = Instant.now();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      // a deposit of a million on mallory's account, as the projector would have written it
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_EVENTS.name(), target, Topics.ACCOUNT_EVENTS.valueSerde()
          .serializer().serialize(Topics.ACCOUNT_EVENTS.name(), new AccountEvent.FundsDeposited(target, 2, marker,
              "1000000.00", "1000000.00", now, RequestTimes.receivedAt(now))))).get();
      // an answer to a request nobody made
      producer.send(new ProducerRecord<>(Topics.OUTCOMES.name(), marker, Topics.OUTCOMES.valueSerde().serializer()
          .serialize(Topics.OUTCOMES.name(), Outcome.accepted(marker, Accepted.FUNDS_DEPOSITED, target, "forged",
              OutcomeData.NONE, now)))).get();
      // a directory entry vouching for an account that does not exist, so a debit to it would settle at once
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_DIRECTORY.name(), ghost, Topics.ACCOUNT_DIRECTORY.valueSerde()
          .serializer().serialize(Topics.ACCOUNT_DIRECTORY.name(), new OpenedAccount(ghost, mallory, "EUR", mallory))))
          .get();
    }

    var parked = DeadLetterTopic.read(Duration.ofSeconds(30), 2, record -> record.value() != null
        && new String(record.value(), StandardCharsets.UTF_8).contains(marker));
    assertThat(parked).hasSize(2).allSatisfy(record -> assertThat(Headers.text(record.headers()
        .lastHeader(Headers.DLT_REASON))).startsWith("not sealed by the projector for the query service"));
    assertThat(balance(target)).isEqualTo("0.00");
    assertThat(Http.get(query + "/requests/" + marker).status()).isEqualTo(404);
    // the transfer to the account the forged entry vouches for is decided by its credit stage: refunded
    Http.Response toGhost = aliceBank.transfer(source, ghost, "4.00");
    assertThat(toGhost.status()).as(toGhost.raw().body()).isNotEqualTo(201);
    assertThat(toGhost.json().get("type").asString()).as(toGhost.raw().body()).isEqualTo("/problems/account-not-found");
    assertThat(toGhost.json().get("transferStatus").asString()).isEqualTo("REFUNDED");
    await("the refund folded").atMost(Duration.ofSeconds(30)).until(() -> balance(source).equals("10.00"));
  }

  /**
   * {@code /views/digests/compare?with=} fetches another query service's digests with the
   * caller's token, an operator's: it talks only to the query services of this deployment it is
   * configured with, and never sends the token anywhere else (a planted server must see nothing).
   */
  @Test
  void shouldNotCompareViewsWithAnUnknownServiceNorSendItTheToken() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    elsewhere.createContext("/", exchange -> {
      seen.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    elsewhere.start();
    try {
      Http.Response refused = Http.get(query + "/views/digests/compare?with=http://127.0.0.1:"
          + elsewhere.getAddress().getPort());
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().get("type").asString()).isEqualTo("/problems/invalid-request");
      assertThat(seen).as("requests that reached the planted server").isEmpty();
    } finally {
      elsewhere.stop(0);
    }
  }

  private String balance(String account) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(query + "/accounts/" + account),
        answer -> answer.status() == 200).json().get("balance").asString();
  }

  private double denied() {
    Http.Response metric = Http.get(command + "/actuator/metrics/streamledger.denied");
    return metric.status() == 404 ? 0 : metric.json().get("measurements").get(0).get("value").asDouble();
  }

  /**
   * A Consistency-Token is the caller's to write: one about alice's account must not tell mallory
   * that it exists (nor its version), so it waits and answers as one about a missing account does.
   */
  @Test
  void shouldNotLetAConsistencyTokenProbeAnotherOnesAccount() {
    String missing = UUID.randomUUID().toString();
    Http.Response probed = Http.get(query + "/accounts/" + aliceAccount,
        withToken(asMallory, "a:" + aliceAccount + ":1"));
    Http.Response unknown = Http.get(query + "/accounts/" + missing, withToken(asMallory, "a:" + missing + ":1"));
    assertThat(probed.status()).as(probed.raw().body()).isEqualTo(unknown.status()).isEqualTo(503);
    assertThat(probed.json().get("type").asString()).isEqualTo(unknown.json().get("type").asString());
    // alice's own token about it holds at once
    assertThat(Http.get(query + "/accounts/" + aliceAccount, withToken(asAlice, "a:" + aliceAccount + ":1")).status())
        .isEqualTo(200);
  }

  private static Map<String, String> withToken(Map<String, String> as, String condition) {
    Map<String, String> headers = new HashMap<>(as);
    headers.put("Consistency-Token", "v1." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(condition.getBytes(StandardCharsets.UTF_8)));
    return headers;
  }

  /** The same answer as for a key that does not exist: status, problem type, and no header that tells them apart. */
  private static void assertHiddenAsMissing(Http.Response hidden, Http.Response missing) {
    assertThat(hidden.status()).as("%s", hidden.raw().body()).isEqualTo(missing.status()).isEqualTo(404);
    assertThat(hidden.json().get("type").asString()).isEqualTo(missing.json().get("type").asString());
    for (String header : List.of("Streamledger-Position", "WWW-Authenticate", "Retry-After")) {
      assertThat(hidden.header(header)).as(header).isEqualTo(missing.header(header));
    }
    assertThat(hidden.header("Streamledger-Position")).isNull();
  }

  private static void assertForbidden(Http.Response answer) {
    assertThat(answer.status()).as("%s", answer.raw().body()).isEqualTo(403);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("type").asString()).isEqualTo("/problems/forbidden");
  }

  private static String command(String type, String account, String requestId, String token) {
    return "{\"schemaVersion\":2,\"type\":\"" + type + "\",\"requestId\":\"" + requestId + "\",\"accountId\":\""
        + account + "\",\"amount\":\"1.00\",\"times\":{\"receivedAt\":\"" + Instant.now() + "\"}"
        + (token == null ? "" : ",\"credential\":\"" + token + "\"") + "}";
  }

  /** {@code token} with its subject changed to {@code subject} and its signature kept. */
  private static String tamper(String token, String subject) {
    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replaceAll("\"sub\":\"[^\"]*\"", "\"sub\":\"" + subject + "\"");
    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
  }
}
