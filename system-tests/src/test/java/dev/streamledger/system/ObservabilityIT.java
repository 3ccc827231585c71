package dev.streamledger.system;

import static dev.streamledger.system.support.Names.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamledger.contract.topic.Headers;
import dev.streamledger.contract.topic.Topics;
import dev.streamledger.contract.trace.TraceParent;
import dev.streamledger.system.support.Bank;
import dev.streamledger.system.support.FullStack;
import dev.streamledger.system.support.Http;
import dev.streamledger.system.support.Services;
import dev.streamledger.system.support.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches: one trace from the HTTP call through Kafka to the outcome, and
 * Prometheus metrics on every service (HTTP histograms, the command round trip, Kafka Streams and
 * client metrics with consumer lag, dead letters).
 */
class ObservabilityIT extends FullStack {

  private static final Map<String, String> NO_TOKEN = Map.of("Authorization", "");

  @Test
  void shouldCarryTheCallersTraceFromHttpThroughKafkaToEveryStageAndTheOutcome() {
    String owner = unique("trace");
    Bank bank = Bank.register(command, query, owner, Http.as(owner, false));
    List<String> accounts = bank.open(2, "EUR", "10.00");
    TraceParent caller = TraceParent.root();
    Map<String, String> headers = new HashMap<>(Http.as(owner, false));
    headers.put(TraceParent.HEADER, caller.header());

    Http.Response transfer = Http.post(command + "/transfers",
        "{\"from\":\"" + accounts.get(0) + "\",\"to\":\"" + accounts.get(1) + "\",\"amount\":\"4.00\"}", headers);

    assertThat(transfer.status()).as(transfer.raw().body()).isEqualTo(201);
    TraceParent served = TraceParent.parse(transfer.header("traceresponse")).orElseThrow();
    assertThat(served.traceId()).isEqualTo(caller.traceId());
    assertThat(served.spanId()).as("the service's own span").isNotEqualTo(caller.spanId());
    String transferId = transfer.json().get("transferId").asString();
    // the debit (decided on the sender's partition) and the credit (a stage the projector wrote
    // itself, decided on the recipient's): both account events, the transfer's event and the
    // outcome carry the caller's trace
    List<ConsumerRecord<byte[], byte[]>> moves = TopicReader.read(Topics.ACCOUNT_EVENTS.name(),
        Duration.ofSeconds(30), 2, record -> caller.traceId().equals(traceOf(record)));
    assertThat(moves).extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrderElementsOf(accounts);
    assertThat(TopicReader.read(Topics.TRANSFER_EVENTS.name(), Duration.ofSeconds(30), 1,
        record -> Arrays.equals(record.key(), transferId.getBytes(StandardCharsets.UTF_8))))
        .hasSize(1).allSatisfy(event -> assertThat(traceOf(event)).isEqualTo(caller.traceId()));
    List<ConsumerRecord<byte[], byte[]>> outcomes = TopicReader.read(Topics.OUTCOMES.name(),
        Duration.ofSeconds(30), 1, record -> caller.traceId().equals(traceOf(record)));
    assertThat(outcomes).hasSize(1);

    // no traceparent: the service starts a trace of its own
    Http.Response untraced = bank.transfer(accounts.get(1), accounts.get(0), "1.00");
    assertThat(TraceParent.parse(untraced.header("traceresponse")).orElseThrow().traceId()).isNotEqualTo(caller.traceId());
  }

  @Test
  void shouldExposePrometheusMetricsOnEveryServiceWithoutAToken() {
    Bank bank = Bank.register(command, query, unique("metrics"));
    bank.open("EUR", "5.00");
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.USER_COMMANDS.name(), unique("junk").getBytes(StandardCharsets.UTF_8),
          "not json".getBytes(StandardCharsets.UTF_8)));
    }

    String commandMetrics = scrape(command);
    assertThat(commandMetrics)
        .contains("http_server_requests_seconds_bucket{")        // latency histograms
        .contains("streamledger_command_outcome_seconds_bucket{") // the wait for the outcome
        .contains("kafka_producer_record_send_total{")            // the command producer
        .contains("kafka_consumer_fetch_manager_records_lag")     // the outcome listener
        .contains("application=\"command-service\"");
    assertThat(scrape(query)).contains("http_server_requests_seconds_bucket{")
        .contains("kafka_stream_thread_process_total{")
        .contains("kafka_consumer_fetch_manager_records_lag");   // how far the views are behind
    Awaitility.await("the dead letter counted").atMost(Duration.ofSeconds(30))
        .until(() -> scrape(projector), metrics -> metrics.contains("streamledger_dead_letters_total{")
            && metrics.contains("topic=\"" + Topics.USER_COMMANDS.name() + "\""));
    assertThat(scrape(projector)).contains("kafka_stream_thread_commit_latency_avg")
        .contains("application=\"projector\"");
  }

  private static String scrape(String service) {
    Http.Response metrics = Http.get(service + "/actuator/prometheus", NO_TOKEN);
    assertThat(metrics.status()).as(service + " /actuator/prometheus").isEqualTo(200);
    return metrics.raw().body();
  }

  private static String traceOf(ConsumerRecord<byte[], byte[]> record) {
    return TraceParent.parse(Headers.text(record.headers().lastHeader(TraceParent.HEADER)))
        .map(TraceParent::traceId).orElse(null);
  }
}
