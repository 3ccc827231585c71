package dev.streamledger.query.system;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.query.view.ReadViewTopology;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StreamsConfiguration {

  @Bean
  ManagedKafkaStreams queryStreams(KafkaSettings kafka, MeterRegistry meters, QuerySettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    // views are folds that skip what they have already applied (each carries its source
    // offset), so at-least-once suffices; but they must only ever see committed events
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
        IsolationLevel.READ_COMMITTED.toString().toLowerCase());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
    if (settings.instanceId() != null && !settings.instanceId().isBlank()) {
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), settings.instanceId());
    }
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
    props.put(StreamsConfig.topicPrefix("min.insync.replicas"), kafka.minInsyncReplicas());
    return new ManagedKafkaStreams(ReadViewTopology.build(), props, kafka, meters);
  }
}
