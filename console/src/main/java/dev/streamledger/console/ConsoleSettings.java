package dev.streamledger.console;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The console's settings ({@code streamledger.console.*}).
 *
 * @param commandUrl the command service the console passes commands to
 * @param queryUrl the query service it passes reads and change feeds to
 * @param devSignInKey the development identity's private key (PEM, PKCS#8), as {@code bin/local-stack}
 *     makes it: when set, anyone may sign in as any username, with or without the operator role,
 *     and the console signs their tokens. Never set outside a development stack; without it the
 *     development sign-in does not exist (its path is {@code 404})
 * @param devTokenLifetime how long a development token lives; the console signs a new one before
 *     it runs out
 * @param upstreamTimeout how long a request that is not a change feed may wait for its answer (a
 *     command may ask the command service to wait up to 60 s)
 * @param maxFeeds how many change feeds the console streams at once (each holds one of the web
 *     server's threads, of which it has 200; beyond it, {@code 503} with {@code Retry-After})
 * @param scrape the services whose Prometheus endpoints the operators' page reads (name → base
 *     URL): throughput, latency and consumer lag. Default: the command and query services and a
 *     projector on 8082
 */
@ConfigurationProperties("streamledger.console")
public record ConsoleSettings(URI commandUrl, URI queryUrl, Resource devSignInKey, Duration devTokenLifetime,
    Duration upstreamTimeout, Integer maxFeeds, Map<String, URI> scrape) {

  public ConsoleSettings {
    commandUrl = commandUrl == null ? URI.create("http://127.0.0.1:8080") : commandUrl;
    queryUrl = queryUrl == null ? URI.create("http://127.0.0.1:8081") : queryUrl;
    devTokenLifetime = devTokenLifetime == null ? Duration.ofMinutes(30) : devTokenLifetime;
    upstreamTimeout = upstreamTimeout == null ? Duration.ofSeconds(70) : upstreamTimeout;
    maxFeeds = maxFeeds == null ? 150 : maxFeeds;
    if (scrape == null || scrape.isEmpty()) {
      scrape = new LinkedHashMap<>();
      scrape.put("command-service", commandUrl);
      scrape.put("query-service", queryUrl);
      scrape.put("projector", URI.create("http://127.0.0.1:8082"));
    }
    scrape = Collections.unmodifiableMap(new LinkedHashMap<>(scrape));
  }

  public boolean devSignIn() {
    return devSignInKey != null;
  }
}
