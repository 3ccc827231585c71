package dev.streamledger.query.system;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the query service's Kafka Streams instance ({@code streamledger.query.*}).
 *
 * @param instanceId stable name of this instance (a StatefulSet pod name, say): makes it a static
 *     group member, so a restart gets its partitions back without a rebalance; blank: dynamic
 */
@ConfigurationProperties("streamledger.query")
public record QuerySettings(String applicationId, Path stateDir, Duration commitInterval, int threads,
    String instanceId) {}
