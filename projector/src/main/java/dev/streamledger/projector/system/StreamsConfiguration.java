package dev.streamledger.projector.system;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.projector.username.UsernameTopology;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StreamsConfiguration {

  @Bean
  ManagedKafkaStreams projectorStreams(KafkaSettings kafka, MeterRegistry meters, ProjectorSettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
    if (settings.instanceId() != null && !settings.instanceId().isBlank()) {
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), settings.instanceId());
    }
    // the thread checks whether a commit is due only between polls: an idle poll must not
    // outlast the commit interval, or outcomes wait for the next record to arrive
    props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, settings.commitInterval().toMillis() / 2));
    // a written outcome waits for the transaction commit anyway; lingering only adds latency
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    // With transactions v2 (Kafka 4.x) a produce that races the previous commit's markers gets
    // CONCURRENT_TRANSACTIONS; with several requests in flight the next batch then overtakes
    // the retried one and the broker rejects it with OUT_OF_ORDER_SEQUENCE forever (seen on
    // 4.1.2 with short commit intervals). One request in flight keeps the sequence intact.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
    // ... and that retry is the common case right after a commit: back off briefly, not 100 ms+
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 20);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
    props.put(StreamsConfig.topicPrefix("min.insync.replicas"), kafka.minInsyncReplicas());
    return new ManagedKafkaStreams(UsernameTopology.build(), props, kafka, meters);
  }
}
