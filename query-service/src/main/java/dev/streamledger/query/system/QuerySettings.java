package dev.streamledger.query.system;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Tuning of the query service's Kafka Streams instance ({@code streamledger.query.*}). */
@ConfigurationProperties("streamledger.query")
public record QuerySettings(String applicationId, Path stateDir, Duration commitInterval, int threads) {}
