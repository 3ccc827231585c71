package dev.streamledger.projector.system;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the projector's Kafka Streams instance ({@code streamledger.projector.*}).
 *
 * @param commitInterval how often a transaction commits; outcomes become visible to
 *     {@code read_committed} readers only then, so it bounds the answer latency of every command
 * @param stateDir where RocksDB keeps the stores
 * @param streams any further Kafka Streams, consumer or producer properties, applied last
 *     (e.g. {@code main.consumer.session.timeout.ms})
 * @param instanceId stable name of this instance (a StatefulSet pod name, say): makes it a static
 *     group member, so after a crash it gets its partitions back without a rebalance if it returns
 *     within the session timeout (a clean stop leaves the group: docs/design.md); blank: dynamic
 * @param sealKeys the secrets of the projector's own {@link dev.streamledger.contract.security.Seal}
 *     (base64, at least 32 bytes each, the sealing one first), the same on every instance
 * @param commandServiceSealKeys the secrets of the seal on outcomes for the command service: the
 *     command service's {@code streamledger.command.seal-keys}
 * @param queryServiceSealKeys the secrets of the seal on outcomes and events for the query
 *     service: the query service's {@code streamledger.query.seal-keys}
 */
@ConfigurationProperties("streamledger.projector")
public record ProjectorSettings(String applicationId, Path stateDir, Duration commitInterval, int threads,
    String instanceId, java.util.Map<String, String> streams, java.util.List<String> sealKeys,
    java.util.List<String> commandServiceSealKeys, java.util.List<String> queryServiceSealKeys) {}
