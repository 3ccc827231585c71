package dev.streamledger.command.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * ({@code streamledger.command.*})
 *
 * @param outcomeWait how long a request waits for its outcome before the answer is {@code 202}
 * @param queryBaseUrl where the query service answers reads; {@code Location} headers point there
 *     (empty: relative locations, for a gateway that routes reads and writes on one host)
 */
@ConfigurationProperties("streamledger.command")
public record CommandSettings(Duration outcomeWait, String queryBaseUrl) {

  public CommandSettings {
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
