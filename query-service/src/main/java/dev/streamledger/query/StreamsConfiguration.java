package dev.streamledger.query;

import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.runtime.ManagedKafkaStreams;
import dev.streamledger.contract.runtime.StreamsProperties;
import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.SealedFor;
import dev.streamledger.query.feed.AccountChanges;
import dev.streamledger.query.store.ViewPositions;
import dev.streamledger.query.system.QuerySettings;
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
  ViewPositions viewPositions() {
    return new ViewPositions();
  }

  @Bean
  ManagedKafkaStreams queryStreams(KafkaSettings kafka, MeterRegistry meters, QuerySettings settings,
      AccountChanges changes, ViewPositions positions) {
    Properties props = StreamsProperties.common(kafka, settings.applicationId(), settings.stateDir(),
        settings.commitInterval(), settings.threads(), settings.instanceId());
    // views are folds that skip what they have already applied (each carries its source
    // offset), so at-least-once suffices; but they must only ever see committed events
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
        IsolationLevel.READ_COMMITTED.toString().toLowerCase());
    // other instances learn from the group where each partition's views live, and forward there
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.self().host() + ":" + settings.self().port());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
    return new ManagedKafkaStreams(ReadViewTopology.build(SealedFor.QUERY_SERVICE.seal(settings.sealKeys()), changes, positions), props, kafka, meters);
  }
}
