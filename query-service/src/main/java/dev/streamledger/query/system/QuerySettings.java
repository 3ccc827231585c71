package dev.streamledger.query.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the query service's Kafka Streams instance ({@code streamledger.query.*}).
 *
 * @param instanceId stable name of this instance (a StatefulSet pod name, say): makes it a static
 *     group member, so after a crash it gets its partitions back without a rebalance if it returns
 *     within the session timeout (a clean stop leaves the group: docs/design.md); blank: dynamic
 * @param advertisedUrl where the other instances reach this one ({@code http://host:port}): its
 *     Streams {@code application.server}, so they can forward a key this instance owns
 * @param forwardTimeout how long a forwarded query may take before the answer is {@code 503}
 * @param consistencyWait how long a read with a {@code Consistency-Token} waits for its view to
 *     include the token's writes before it answers {@code 503} {@code not-yet-consistent}
 * @param standbyReplicas how many other instances keep a warm copy of each view partition; when
 *     the owner does not answer, a copy answers instead, saying how far behind it may be
 * @param feeds the change feeds ({@code GET /accounts/{id}/events})
 * @param compareWith the query services ({@code http://host:port}) whose view digests this one may
 *     fetch to compare them with its own ({@code GET /views/digests/compare?with=}): the live
 *     deployment a rebuild is checked against. The comparison carries the operator's token, so
 *     any other {@code with} is refused before a connection is made; empty: none
 * @param sealKeys the secrets of the projector's seal for the query service (base64, at least 32
 *     bytes each, the sealing one first): the projector's
 *     {@code streamledger.projector.query-service-seal-keys}. Events and outcomes without it are
 *     dead-lettered, never folded.
 */
@ConfigurationProperties("streamledger.query")
public record QuerySettings(String applicationId, Path stateDir, Duration commitInterval, int threads,
    String instanceId, URI advertisedUrl, Duration forwardTimeout, int standbyReplicas, Duration consistencyWait, Feeds feeds,
    List<URI> compareWith, List<String> sealKeys) {

  public QuerySettings {
    forwardTimeout = forwardTimeout == null ? Duration.ofSeconds(5) : forwardTimeout;
    consistencyWait = consistencyWait == null ? Duration.ofSeconds(2) : consistencyWait;
    feeds = feeds == null ? new Feeds(null, 0, null) : feeds;
    compareWith = compareWith == null ? List.of() : compareWith.stream().map(QuerySettings::origin).toList();
  }

  /** {@code url}'s scheme, host and port ({@code http://host:80} when it names none), lower case. */
  public static URI origin(URI url) {
    int port = url.getPort() < 0 ? 80 : url.getPort();
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    return URI.create(String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT) + "://" + host + ":" + port);
  }

  /**
   * @param heartbeat how often an idle feed sends a comment line, so proxies keep it open and a
   *     client that left is noticed
   * @param max how many feeds may be open on this instance at once; one more is {@code 503}
   * @param pollInterval how often a feed of an account another instance holds asks it for news
   *     (a feed of an account held here is woken by the fold itself)
   */
  public record Feeds(Duration heartbeat, int max, Duration pollInterval) {
    public Feeds {
      heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
      max = max <= 0 ? 256 : max;
      pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
    }
  }

  /** This instance as Kafka Streams names it in key metadata. */
  public HostInfo self() {
    return new HostInfo(advertisedUrl.getHost(), advertisedUrl.getPort());
  }
}
