package dev.streamledger.command.system;

import dev.streamledger.command.outcome.CommandGateway;
import dev.streamledger.command.outcome.OutcomeListener;
import dev.streamledger.contract.runtime.KafkaSettings;
import dev.streamledger.contract.runtime.TopicProvisioner;
import dev.streamledger.contract.security.Seal;
import dev.streamledger.contract.topic.SealedFor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KafkaClientsConfiguration {

  @Bean(destroyMethod = "close")
  Producer<String, byte[]> commandProducer(KafkaSettings kafka) {
    TopicProvisioner.ensure(kafka);
    Map<String, Object> config = kafka.connection();
    config.putAll(Map.of(
        // a command counts as received only once every in-sync replica has it
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 1,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
        ProducerConfig.CLIENT_ID_CONFIG, "command-service-" + ProcessHandle.current().pid()));
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** The producer's metrics ({@code kafka.producer.*}: sends, errors, request latency), bound by Spring Boot. */
  @Bean
  KafkaClientMetrics commandProducerMetrics(Producer<String, byte[]> commandProducer) {
    return new KafkaClientMetrics(commandProducer);
  }

  @Bean
  OutcomeListener outcomeListener(KafkaSettings kafka, CommandSettings settings, MeterRegistry meters) {
    return new OutcomeListener(kafka, SealedFor.COMMAND_SERVICE.seal(settings.sealKeys()), meters);
  }

  @Bean
  CommandGateway commandGateway(Producer<String, byte[]> commandProducer, OutcomeListener outcomeListener,
      MeterRegistry meters) {
    return new CommandGateway(commandProducer, outcomeListener, meters);
  }
}
