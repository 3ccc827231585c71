package dev.streamledger.console.api;

import dev.streamledger.console.ConsoleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The command and query services, as the console calls them: with the caller's bearer token. */
@Component
public class Upstream {

  /** Which service. */
  public enum Service { COMMAND, QUERY }

  private final ConsoleSettings settings;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

  public Upstream(ConsoleSettings settings) {
    this.settings = settings;
  }

  /**
   * Sends {@code method pathAndQuery} to {@code service}; the answer's body is a stream (a change
   * feed's stays open). {@code streaming} requests have no time limit.
   *
   * @throws IOException when the service did not answer
   */
  public HttpResponse<InputStream> send(Service service, String method, String pathAndQuery, String token,
      Map<String, String> headers, byte[] body, boolean streaming) throws IOException, InterruptedException {
    URI base = service == Service.COMMAND ? settings.commandUrl() : settings.queryUrl();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + pathAndQuery))
        .header("Authorization", "Bearer " + token)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (!streaming) {
      request.timeout(settings.upstreamTimeout());
    }
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }
}
