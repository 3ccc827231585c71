package dev.streamledger.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.topic.Topic;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.examples.DepositProducer;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Names;
import dev.streamledger.system.support.Services;
import dev.streamledger.system.support.SlowSystemTest;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Guarantee 8 (docs/guarantees.md#8-bad-records-go-to-dead-letters and #bad-http-requests), fuzzed
 * (jqwik): random and mutated requests to every endpoint of both services,
 * and random or mutated records to every input topic. Never a {@code 5xx} (but the documented
 * {@code 503}s of a read that waits for consistency); never a balance changed by a request that
 * was refused; and afterwards every partition of every command and event topic still flows.
 */
@SlowSystemTest
@Tag(SlowSystemTest.TAG)   // jqwik runs its properties by its own tags, not JUnit Jupiter's
class FuzzIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Services SERVICES = new Services();
  private static String command;
  private static String query;
  private static Bank bank;
  private static List<String> accounts;
  private static KafkaProducer<byte[], byte[]> producer;
  /** Request ids of refused command requests, and the accounts those requests named. */
  private static final Set<String> refused = ConcurrentHashMap.newKeySet();

  @BeforeContainer
  static void startStack() {
    SERVICES.startProjector();
    query = Services.url(SERVICES.startQueryService());
    command = Services.url(SERVICES.startCommandService(query));
    bank = Bank.register(command, query, Names.unique("fuzz"));
    accounts = List.of(bank.open("EUR", "100.00"), bank.open("EUR", "100.00"), bank.open("JPY", "1000"));
    producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers(),
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterContainer
  static void stopStack() {
    producer.close();
    SERVICES.close();
  }

  // --- HTTP -----------------------------------------------------------------------------------

  record Request(String method, String service, String path, String body, Map<String, String> headers) {
    @Override
    public String toString() {
      return method + " " + service + path + " " + headers + " " + (body == null ? "" : body.length() > 300
          ? body.substring(0, 300) + "…" : body);
    }
  }

  @Property(tries = 400)
  void noRequestGetsAServerErrorNorChangesMoneyWhenRefused(@ForAll("requests") Request request) {
    String base = "command".equals(request.service()) ? command : query;
    Http.Response answer = Http.request(request.method(), base + request.path(),
        request.body() == null ? null : BodyPublishers.ofString(request.body()), request.headers());
    Statistics.label("answers").collect(request.service(), answer.status() / 100 + "xx");
    if (answer.status() >= 500) {
      // the documented 503s: a read waiting for a write that a (random, well-formed) token names
      assertThat(answer.status()).as("%s → %s", request, answer.raw().body()).isEqualTo(503);
      assertThat(answer.raw().body()).as("%s", request).contains("not-yet-consistent");
    }
    if ("command".equals(request.service()) && answer.status() >= 400 && answer.contentType() != null
        && answer.contentType().contains("json")) {
      JsonNode requestId = answer.json().path("requestId");
      if (requestId.isString()) {
        refused.add(requestId.asString());
      }
    }
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<String> account = Arbitraries.of(accounts.get(0), accounts.get(1), accounts.get(2),
        UUID.randomUUID().toString());
    Arbitrary<String> segment = Arbitraries.oneOf(account, account, randomText(), Arbitraries.of("..", "%2e%2e",
        "%00", "a%2Fb", "x".repeat(3000), "ＡＬＩＣＥ", bank.owner()));
    Arbitrary<String> path = Combinators.combine(Arbitraries.of(
            "/users", "/users/{x}", "/accounts", "/accounts/{x}", "/accounts/{x}/deposits",
            "/accounts/{x}/withdrawals", "/transfers", "/transfers/{x}", "/accounts/{x}/statement?afterVersion={x}&limit={x}",
            "/requests/{x}", "/audit", "/audit/local", "/snapshots/accounts/partitions/{x}", "/views/digests",
            "/views/digests/local", "/views/digests/compare?with={x}", "/v3/api-docs", "/{x}", "/{x}/{x}"),
        segment, segment)
        .as((template, first, second) -> template.replaceFirst("\\{x}", encode(first)).replace("{x}", encode(second)));
    Arbitrary<String> body = Arbitraries.oneOf(validBody().flatMap(this::mutated), validBody(), randomText(),
        Arbitraries.just(""), Arbitraries.just(null));
    Arbitrary<Map<String, String>> headers = Combinators.combine(
            Arbitraries.of("application/json", "application/json", "text/plain", "application/json; charset=latin1",
                "*/*", "application/problem+json", "multipart/form-data; boundary=x"),
            Arbitraries.oneOf(Arbitraries.just(""), randomAscii(), Arbitraries.just(UUID.randomUUID().toString())),
            Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of("wait=0", "wait=1", "wait=abc", "return=minimal",
                "wait=99999999999")),
            Arbitraries.oneOf(Arbitraries.just(""), randomAscii(), Arbitraries.of(Instant.now().toString(),
                "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00+14:00")),
            Arbitraries.oneOf(Arbitraries.just(""), randomAscii()))
        .as((contentType, key, prefer, clientTime, token) -> {
          Map<String, String> h = new LinkedHashMap<>();
          h.put("Content-Type", contentType);
          if (!key.isEmpty()) {
            h.put("Idempotency-Key", key);
          }
          if (!prefer.isEmpty()) {
            h.put("Prefer", prefer);
          }
          if (!clientTime.isEmpty()) {
            h.put("Client-Created-At", clientTime);
            h.put("Client-Sent-At", clientTime);
          }
          if (!token.isEmpty()) {
            h.put("Consistency-Token", token);
          }
          return h;
        });
    return Combinators.combine(Arbitraries.of("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH"),
            Arbitraries.of("command", "query"), path, body, headers)
        .as(Request::new)
        // an open change feed never ends: only unknown accounts' feeds are fuzzed
        .filter(r -> !(r.path().endsWith("/events") && accounts.stream().anyMatch(r.path()::contains)));
  }

  private Arbitrary<String> validBody() {
    Arbitrary<String> account = Arbitraries.of(accounts);
    Arbitrary<String> amount = Arbitraries.of("1.00", "0.01", "100.00", "5", "1000");
    return Arbitraries.oneOf(
        amount.map(a -> "{\"amount\":\"" + a + "\"}"),
        Combinators.combine(account, account, amount).as((from, to, a) ->
            "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":\"" + a + "\"}"),
        Arbitraries.just("{\"owner\":\"" + bank.owner() + "\",\"currency\":\"EUR\"}"),
        Arbitraries.strings().alpha().ofMinLength(3).ofMaxLength(12).map(n -> "{\"username\":\"fz" + n + "\"}"));
  }

  /** One random mutation of a valid JSON body: a field dropped, replaced, added, or the text cut or spliced. */
  private Arbitrary<String> mutated(String json) {
    ObjectNode valid = (ObjectNode) JSON.readTree(json);
    List<String> fields = new ArrayList<>(valid.propertyNames());
    Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i), Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just((Object) List.of(1, "a")),
        Arbitraries.just((Object) Map.of("x", "y")),
        Arbitraries.of("-1", "0", "1e9", "0.001", "99999999999999999999", "NaN", " 1", "١٢").map(s -> (Object) s));
    return Arbitraries.integers().between(0, 4).flatMap(kind -> switch (kind) {
      case 0 -> Arbitraries.of(fields).map(field -> {
        ObjectNode copy = valid.deepCopy();
        copy.remove(field);
        return copy.toString();
      });
      case 1 -> Combinators.combine(Arbitraries.of(fields), value).as((field, v) -> {
        ObjectNode copy = valid.deepCopy();
        copy.set(field, JSON.valueToTree(v));
        return copy.toString();
      });
      case 2 -> Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), value).as((field, v) -> {
        ObjectNode copy = valid.deepCopy();
        copy.set(field, JSON.valueToTree(v));
        return copy.toString();
      });
      case 3 -> Arbitraries.integers().between(0, json.length()).map(cut -> json.substring(0, cut));
      default -> Combinators.combine(Arbitraries.integers().between(0, json.length()), randomText())
          .as((at, text) -> json.substring(0, at) + text + json.substring(at));
    });
  }

  private static Arbitrary<String> randomText() {
    return Arbitraries.strings().ofMaxLength(60);
  }

  private static Arbitrary<String> randomAscii() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300);
  }

  private static String encode(String segment) {
    return segment.contains("%") ? segment : URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // --- Kafka ----------------------------------------------------------------------------------

  /** The topics the services read. Event topics get only noise: valid events there are trusted facts. */
  private static final List<Topic<?, ?>> COMMAND_TOPICS = List.of(Topics.USER_COMMANDS, Topics.ACCOUNT_COMMANDS,
      Topics.IDEMPOTENT_COMMANDS);
  private static final List<Topic<?, ?>> NOISE_ONLY_TOPICS = List.of(Topics.USER_EVENTS, Topics.ACCOUNT_EVENTS,
      Topics.TRANSFER_EVENTS, Topics.OUTCOMES, Topics.ACCOUNT_DIRECTORY);

  record Garbage(String topic, byte[] key, byte[] value) {
    @Override
    public String toString() {
      return topic + " " + (key == null ? "null" : new String(key, StandardCharsets.UTF_8)) + " → "
          + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
    }
  }

  @Property(tries = 300)
  void noRecordStopsAProcessor(@ForAll("garbage") Garbage garbage) throws Exception {
    producer.send(new ProducerRecord<>(garbage.topic(), garbage.key(), garbage.value())).get();
  }

  @Provide
  Arbitrary<Garbage> garbage() {
    Arbitrary<byte[]> key = Arbitraries.oneOf(Arbitraries.just((byte[]) null),
        Arbitraries.of(accounts).map(a -> a.getBytes(StandardCharsets.UTF_8)),
        randomText().map(s -> s.getBytes(StandardCharsets.UTF_8)), bytes(2000));
    Arbitrary<byte[]> noise = Arbitraries.oneOf(Arbitraries.just((byte[]) null), bytes(300), bytes(70_000),
        randomText().map(s -> s.getBytes(StandardCharsets.UTF_8)));
    Arbitrary<byte[]> command = validCommand().flatMap(this::mutated).map(s -> s.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of(COMMAND_TOPICS), key, Arbitraries.oneOf(noise, command, command))
            .as((topic, k, v) -> new Garbage(topic.name(), k, v)),
        Combinators.combine(Arbitraries.of(NOISE_ONLY_TOPICS), key, noise)
            .as((topic, k, v) -> new Garbage(topic.name(), k, v))
            // a compacted topic's broker refuses a record without a key itself
            .filter(g -> g.key() != null || !g.topic().equals(Topics.ACCOUNT_DIRECTORY.name())));
  }

  /** Commands a Kafka client may write (not the projector's own later stages), valid before mutation. */
  private Arbitrary<String> validCommand() {
    Arbitrary<String> account = Arbitraries.of(accounts);
    return Arbitraries.oneOf(
        account.map(a -> DepositProducer.depositCommand("fz-" + UUID.randomUUID(), a, "1.00", Instant.now(),
            Http.testerToken())),
        account.map(a -> DepositProducer.depositCommand("fz-" + UUID.randomUUID(), a, "1.00", Instant.now(),
            Http.testerToken())
            .replace("\"Deposit\"", "\"Withdraw\"")),
        Combinators.combine(account, account).as((from, to) -> "{\"schemaVersion\":2,\"type\":\"DebitForTransfer\","
            + "\"requestId\":\"fz-" + UUID.randomUUID() + "\",\"transferId\":\"" + UUID.randomUUID() + "\",\"accountId\":\""
            + from + "\",\"to\":\"" + to + "\",\"amount\":\"1.00\",\"times\":{\"receivedAt\":\"" + Instant.now() + "\"}}"),
        Arbitraries.strings().alpha().ofMinLength(3).ofMaxLength(10).map(n -> "{\"schemaVersion\":2,\"type\":"
            + "\"ClaimUsername\",\"requestId\":\"fz-" + UUID.randomUUID() + "\",\"username\":\"fz" + n.toLowerCase()
            + "\",\"requestedAs\":\"fz" + n + "\",\"displayName\":\"x\",\"times\":{\"receivedAt\":\"" + Instant.now()
            + "\"}}"));
  }

  private static Arbitrary<byte[]> bytes(int max) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
  }

  // --- afterwards -----------------------------------------------------------------------------

  /**
   * After each property: every partition of the command topics still decides (a user and an
   * account on each, a deposit with an Idempotency-Key on each account), every event partition
   * still reaches the views, and no refused request moved money.
   */
  @AfterProperty
  void everythingStillFlowsAndNoRefusedRequestMovedMoney() {
    Set<Integer> userPartitions = new HashSet<>();
    Set<Integer> accountPartitions = new HashSet<>();
    Bank canary = null;
    for (int i = 0; i < 200 && (userPartitions.size() < KafkaSettings.DEFAULT_PARTITIONS || accountPartitions.size() < KafkaSettings.DEFAULT_PARTITIONS); i++) {
      String name = Names.unique("canary");
      int userPartition = Topics.USER_COMMANDS.partitionOf(name, KafkaSettings.DEFAULT_PARTITIONS);
      if (userPartitions.add(userPartition) || canary == null) {
        canary = Bank.register(command, query, name);
      }
      Http.Response opened = Http.post(command + "/accounts", "{\"owner\":\"" + canary.owner() + "\",\"currency\":\"EUR\"}");
      assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
      String account = opened.json().get("accountId").asString();
      if (accountPartitions.add(Topics.ACCOUNT_COMMANDS.partitionOf(account, KafkaSettings.DEFAULT_PARTITIONS))) {
        Http.Response deposited = Http.post(command + "/accounts/" + account + "/deposits", "{\"amount\":\"1.00\"}",
            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(deposited.status()).as(deposited.raw().body()).isEqualTo(201);
        Http.Response transferred = canary.transfer(account, accounts.get(0), "0.50");
        assertThat(transferred.status()).as(transferred.raw().body()).isEqualTo(201);
        String transfer = transferred.json().get("transferId").asString();
        await("transfer " + transfer + " in the view").atMost(Duration.ofSeconds(30))
            .until(() -> Http.get(query + "/transfers/" + transfer).json().path("status").asString(""),
                "COMPLETED"::equals);
        await("account " + account + " in the view").atMost(Duration.ofSeconds(30))
            .until(() -> Http.get(query + "/accounts/" + account).json().path("balance").asString(""), "0.50"::equals);
      }
    }
    assertThat(userPartitions).hasSize(KafkaSettings.DEFAULT_PARTITIONS);
    assertThat(accountPartitions).hasSize(KafkaSettings.DEFAULT_PARTITIONS);
    for (String account : accounts) {
      bank.assertStatementFoldsToBalance(account);
      assertThat(bank.statement(account)).extracting(row -> row.get("requestId").asString())
          .as("events of refused requests").noneMatch(refused::contains);
    }
  }
}
