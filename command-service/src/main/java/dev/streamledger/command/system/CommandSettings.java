package dev.streamledger.command.system;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * ({@code streamledger.command.*})
 *
 * @param outcomeWait how long a request waits for its outcome before the answer is {@code 202}
 * @param queryBaseUrl where the query service answers reads; {@code Location} headers point there
 *     (empty: relative locations, for a gateway that routes reads and writes on one host)
 * @param rateLimit commands per client ({@link RateLimits})
 * @param sealKeys the secrets of the projector's seal for the command service (base64, at least
 *     32 bytes each, the sealing one first): the projector's
 *     {@code streamledger.projector.command-service-seal-keys}. An outcome without it answers no one.
 */
@ConfigurationProperties("streamledger.command")
public record CommandSettings(Duration outcomeWait, String queryBaseUrl, RateLimit rateLimit, List<String> sealKeys) {

  /**
   * @param perSecond commands a client may send per second, sustained (default 1000; {@code 0}
   *     switches the limit off)
   * @param burst how many it may send at once (default twice {@code perSecond}, at least 1)
   */
  public record RateLimit(Double perSecond, Integer burst) {
    public RateLimit {
      if (perSecond == null) {
        perSecond = 1000.0;
      }
      if (burst == null) {
        burst = (int) Math.max(1, Math.min(Integer.MAX_VALUE, 2 * perSecond));
      }
    }

    public boolean enabled() {
      return perSecond > 0;
    }
  }

  public CommandSettings {
    if (rateLimit == null) {
      rateLimit = new RateLimit(null, null);
    }
    if (outcomeWait == null) {
      outcomeWait = Duration.ofSeconds(5);
    }
    if (queryBaseUrl == null) {
      queryBaseUrl = "";
    }
    queryBaseUrl = queryBaseUrl.replaceAll("/+$", "");
  }

  public String readLocation(String path) {
    return queryBaseUrl + path;
  }
}
