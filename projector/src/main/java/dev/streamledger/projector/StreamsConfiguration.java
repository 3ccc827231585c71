package dev.streamledger.projector;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.contract.runtime.StreamsProperties;
import dev.streamledger.contract.security.SecuritySettings;
import dev.streamledger.projector.request.CommandProcessor;
import dev.streamledger.projector.system.Authenticity;
import dev.streamledger.projector.system.ProjectorSettings;
import dev.streamledger.projector.system.Seals;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StreamsConfiguration {

  @Bean
  ManagedKafkaStreams projectorStreams(KafkaSettings kafka, MeterRegistry meters, ProjectorSettings settings,
      SecuritySettings security) {
    Properties props = StreamsProperties.common(kafka, settings.applicationId(), settings.stateDir(),
        settings.commitInterval(), settings.threads(), settings.instanceId());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // the thread checks whether a commit is due only between polls: an idle poll must not
    // outlast the commit interval, or outcomes wait for the next record to arrive
    props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, settings.commitInterval().toMillis() / 2));
    // Records wait in the producer until the commit, which sends what is left in one request:
    // nothing is readable (read_committed) before the commit anyway. Sent as soon as written
    // (linger 0), they went in ~6 produce requests per commit, and a transfer's answer came
    // ~10 ms later at 100 and at 500 transfers/s (docs/performance.md, change 14).
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), settings.commitInterval().toMillis());
    props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    // With transactions v2 (Kafka 4.x) a produce that races the previous commit's markers gets
    // CONCURRENT_TRANSACTIONS; with several requests in flight the next batch then overtakes
    // the retried one and the broker rejects it with OUT_OF_ORDER_SEQUENCE forever (seen on
    // 4.1.2 with short commit intervals). One request in flight keeps the sequence intact.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
    // ... and that retry, now rare (records leave with the commit, not right after the last
    // one; none in change 14's runs), should back off briefly, not 100 ms+
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 20);
    if (settings.streams() != null) {
      props.putAll(settings.streams());
    }
    var authenticity = new Authenticity(security.verifier(), Seals.of(settings),
        CommandProcessor.REQUEST_RETENTION, meters.counter("streamledger.projector.not-authentic"));
    return new ManagedKafkaStreams(ProjectorTopology.build(authenticity), props, kafka, meters);
  }
}
